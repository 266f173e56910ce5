using System.Net.Sockets;
using CniSharp.Interop;
using CniSharp.Namespaces;

namespace CniSharp.Pods;

/// <summary>The host's IP forwarding, which every routed pod (via a bridge gateway or a host route) needs.</summary>
internal static class Forwarding
{
    /// <summary>Turns on forwarding for each family asked for; read first, write only on change.</summary>
    public static void Enable(bool ipv4, bool ipv6)
    {
        if (ipv4) Sysctl.Ensure(KeyOf(AddressFamily.InterNetwork), "1");
        if (ipv6) Sysctl.Ensure(KeyOf(AddressFamily.InterNetworkV6), "1");
    }

    /// <summary>Whether this namespace forwards <paramref name="family"/> now; an unreadable key counts as off.</summary>
    public static bool IsEnabled(AddressFamily family)
    {
        try
        {
            return Sysctl.Get(KeyOf(family)) == "1";
        }
        catch (UnixException)
        {
            return false;
        }
    }

    /// <summary>The sysctl as an operator types it: "net.ipv4.ip_forward".</summary>
    public static string SysctlName(AddressFamily family) => KeyOf(family).Replace('/', '.');

    private static string KeyOf(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? "net/ipv4/ip_forward" : "net/ipv6/conf/all/forwarding";
}
