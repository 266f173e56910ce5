using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Ip;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Plugins.Ptp;

/// <summary>
/// The host's way to a pod: a /32 (/128) route per pod address out of the pod's host veth (scope link, no gateway).
/// The kernel removes them with the veth, so DEL and GC need no route bookkeeping.
/// </summary>
internal static class HostRoutes
{
    /// <summary>Equivalent to: ip route add {address}/32 dev {hostVeth} scope link, per pod address.</summary>
    public static void Add(IRouteNetlink host, LinkInfo hostVeth, IEnumerable<IPPrefix> podAddresses)
    {
        foreach (IPPrefix address in podAddresses)
        {
            try
            {
                host.AddRoute(new RouteRequest { Dst = HostPrefix(address), OutIndex = hostVeth.Index });
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
            {
                throw new CniException(CniErrorCode.Internal,
                    $"the host already has a route to {HostPrefix(address)}: another network or interface uses {address.Address}; " +
                    "remove that route or give this network a range of its own");
            }
        }
    }

    /// <summary>CHECK: each pod address must be routed out of <paramref name="hostVeth"/>.</summary>
    public static List<string> Check(IRouteNetlink host, LinkInfo hostVeth, IEnumerable<IPPrefix> podAddresses)
    {
        var problems = new List<string>();
        foreach (IPPrefix address in podAddresses)
        {
            IPPrefix dst = HostPrefix(address);
            if (!host.ListRoutes(dst.Family).Any(r => r.Dst == dst && r.OutIndex == hostVeth.Index))
                problems.Add($"the host route to {dst} via \"{hostVeth.Name}\" is missing");
        }
        return problems;
    }

    private static IPPrefix HostPrefix(IPPrefix address) => new(address.Address, address.MaxPrefixLength);
}
