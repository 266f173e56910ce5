using System.Net.NetworkInformation;

namespace CniSharp.Pods;

internal static class MacFormat
{
    /// <summary>"0a:58:0a:f4:01:01": the lower-case colon form results carry (Go's HardwareAddr.String).</summary>
    public static string? ToCni(PhysicalAddress? mac)
    {
        if (mac is null) return null;
        byte[] b = mac.GetAddressBytes();
        if (b.Length == 0) return null;
        return string.Join(':', b.Select(x => x.ToString("x2")));
    }
}
