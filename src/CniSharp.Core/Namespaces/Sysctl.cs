using System.Text;
using CniSharp.Interop;

namespace CniSharp.Namespaces;

/// <summary>
/// Reads and writes /proc/sys. Keys under net/ resolve against the calling thread's network namespace,
/// so container sysctls must be set from inside <see cref="NetNamespace.Run{T}"/>.
/// </summary>
internal static class Sysctl
{
    /// <summary>Writes "net/ipv6/conf/eth0/accept_dad" (slash form) = value.</summary>
    public static unsafe void Set(string key, string value)
    {
        string path = "/proc/sys/" + key;
        using SafeFileDescriptor fd = LibC.open(path, LibC.OpenFlags.O_WRONLY);
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        fixed (byte* p = bytes)
            LibC.Check(LibC.write(fd, p, (nuint)bytes.Length), "write sysctl", path);
    }

    /// <summary>The value without its trailing newline.</summary>
    public static unsafe string Get(string key)
    {
        string path = "/proc/sys/" + key;
        using SafeFileDescriptor fd = LibC.open(path, LibC.OpenFlags.O_RDONLY);
        byte* buffer = stackalloc byte[256];
        int n = (int)LibC.Check(LibC.read(fd, buffer, 256), "read sysctl", path);
        return Encoding.ASCII.GetString(buffer, n).TrimEnd('\n');
    }

    /// <summary>Writes only when the value differs: ip_forward writes are global and need not repeat.</summary>
    public static void Ensure(string key, string value)
    {
        if (Get(key) != value)
            Set(key, value);
    }

    /// <summary>Best effort: a missing key (IPv6 disabled, no such device) is not a failure.</summary>
    public static bool TrySet(string key, string value)
    {
        try
        {
            Set(key, value);
            return true;
        }
        catch (UnixException)
        {
            return false;
        }
    }
}
