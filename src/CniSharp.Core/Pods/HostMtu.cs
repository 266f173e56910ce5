using System.Net.Sockets;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Pods;

/// <summary>The MTU a pod's veth gets when the configuration names none.</summary>
internal static class HostMtu
{
    /// <summary>The MTU of the interface holding the default route (IPv4, else IPv6); 1500 without one.</summary>
    public static int OfDefaultRoute(IRouteNetlink host)
    {
        foreach (AddressFamily family in (ReadOnlySpan<AddressFamily>)[AddressFamily.InterNetwork, AddressFamily.InterNetworkV6])
        {
            foreach (RouteInfo route in host.ListRoutes(family))
                if (route.Dst.PrefixLength == 0 && route.OutIndex is int index && host.GetLink(index) is LinkInfo link)
                    return link.Mtu;
        }
        return 1500;
    }
}
