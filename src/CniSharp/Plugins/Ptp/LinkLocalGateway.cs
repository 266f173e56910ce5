using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CniSharp.Interop;
using CniSharp.Ip;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins.Ptp;

/// <summary>
/// The pod's gateway: one link-local address per family that the host veth stands for, the same in every pod
/// (Calico's 169.254.1.1; fe80::1). No address is put on the host: inside the pod a permanent neighbour entry maps
/// the gateway to the host veth's MAC, so the pod never ARPs or solicits for it. Chosen over proxy-ARP on the host
/// veth, which answers only for addresses the host has a route to and delays each answer by up to proxy_delay
/// (0.8 s by default): the neighbour entry works whatever the host's routing, and costs one netlink request.
/// </summary>
internal static class LinkLocalGateway
{
    public static readonly IPAddress IPv4 = IPAddress.Parse("169.254.1.1");
    public static readonly IPAddress IPv6 = IPAddress.Parse("fe80::1");

    public static IPAddress For(AddressFamily family) => family == AddressFamily.InterNetwork ? IPv4 : IPv6;

    /// <summary>
    /// Inside the pod, once its link is up: the gateway's permanent neighbour entry per family, and for IPv4 the
    /// link route that makes 169.254.1.1 reachable from a /32 (IPv6 needs none: a link-local gateway names its link).
    /// </summary>
    public static void Install(IRouteNetlink nl, LinkInfo link, PhysicalAddress hostVethMac, IEnumerable<AddressFamily> families)
    {
        foreach (AddressFamily family in families)
        {
            nl.ReplaceNeighbor(link.Index, For(family), hostVethMac);
            if (family != AddressFamily.InterNetwork) continue;
            try
            {
                nl.AddRoute(new RouteRequest { Dst = new IPPrefix(IPv4, 32), OutIndex = link.Index, Scope = (byte)RouteScope.Link });
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
            {
                // Already there: an identical route does no harm.
            }
        }
    }

    /// <summary>CHECK inside the pod: per family, the neighbour entry (permanent, the host veth's MAC) and the IPv4 link route.</summary>
    public static List<string> Check(IRouteNetlink nl, LinkInfo link, PhysicalAddress? hostVethMac, IEnumerable<AddressFamily> families)
    {
        var problems = new List<string>();
        foreach (AddressFamily family in families)
        {
            IPAddress gateway = For(family);
            NeighborInfo? entry = nl.ListNeighbors(link.Index, family).FirstOrDefault(n => gateway.Equals(n.Address));
            if (entry is null || (entry.State & NeighborState.Permanent) == 0)
                problems.Add($"the gateway {gateway} has no permanent neighbour entry on \"{link.Name}\"");
            else if (hostVethMac is not null && !hostVethMac.Equals(entry.Mac))
                problems.Add($"the gateway {gateway} points at {MacFormat.ToCni(entry.Mac)}, but the host veth has {MacFormat.ToCni(hostVethMac)}");
            if (family == AddressFamily.InterNetwork &&
                !nl.ListRoutes(family).Any(r => r.Dst == new IPPrefix(IPv4, 32) && r.OutIndex == link.Index && r.Gateway is null))
                problems.Add($"the link route to the gateway {IPv4} on \"{link.Name}\" is missing");
        }
        return problems;
    }
}
