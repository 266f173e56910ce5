using System.Text;

namespace CniSharp.Pods;

/// <summary>
/// The host end of a pod's veth is named from (container id, ifname) alone, so DEL and GC find it without
/// the netns or any stored state. The reference plugin's random "vethXXXXXXXX" names cannot be found that way.
/// </summary>
internal static class HostVethName
{
    /// <summary>Three letters that mark the link as CniSharp's; never "veth", the reference plugins' prefix.</summary>
    public const string Prefix = "cns";

    /// <summary>"cns" + 12 hex digits (48 bits) of a hash of "id\0ifname": 15 characters, the kernel's limit.</summary>
    public static string For(string containerId, string ifName)
    {
        ulong hash = Mix(Fnv1a(Encoding.UTF8.GetBytes(containerId + "\0" + ifName)));
        return Prefix + (hash >> 16).ToString("x12");
    }

    // A non-cryptographic hash on purpose: SHA-256 in .NET loads OpenSSL, milliseconds on the ADD hot path,
    // and names need spread, not secrecy. FNV-1a, then the splitmix64 finaliser to spread every input bit.
    private static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        ulong hash = 0xcbf29ce484222325;
        foreach (byte b in data)
        {
            hash ^= b;
            hash *= 0x100000001b3;
        }
        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
}
