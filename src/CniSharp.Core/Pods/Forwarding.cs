using CniSharp.Namespaces;

namespace CniSharp.Pods;

/// <summary>The host's IP forwarding, which every routed pod (via a bridge gateway or a host route) needs.</summary>
internal static class Forwarding
{
    /// <summary>Turns on forwarding for each family asked for; read first, write only on change.</summary>
    public static void Enable(bool ipv4, bool ipv6)
    {
        if (ipv4) Sysctl.Ensure("net/ipv4/ip_forward", "1");
        if (ipv6) Sysctl.Ensure("net/ipv6/conf/all/forwarding", "1");
    }
}
