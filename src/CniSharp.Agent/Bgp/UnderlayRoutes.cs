using System.Net.Sockets;
using CniSharp.Agent.Dataplane;
using CniSharp.Ip;
using CniSharp.Netlink.Route;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// Reads the kernel's gateway routes on the underlay link (main table), which BIRD needs to resolve next hops
/// behind a router. Left out: routes of BIRD and of the agent themselves, and routes into pod address space (a pod
/// route is never how an underlay address is reached).
/// </summary>
internal static class UnderlayRoutes
{
    /// <summary>rtm_protocol of the routes BIRD installs (RTPROT_BIRD, linux/rtnetlink.h).</summary>
    public const byte BirdProtocol = 12;

    public static IReadOnlyList<UnderlayRoute> Read(RouteNetlink netlink, Underlay underlay, IReadOnlyList<IPPrefix> podSpace)
    {
        var routes = new List<UnderlayRoute>();
        foreach (AddressFamily family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            foreach (RouteInfo r in netlink.ListRoutes(family))
            {
                if (r.OutIndex != underlay.Index || r.Gateway is null) continue;
                if (r.Protocol is BirdProtocol or Dataplane.AgentRoute.Protocol) continue;
                if (podSpace.Any(p => Within(r.Dst, p))) continue;
                routes.Add(new UnderlayRoute(r.Dst.Network, r.Gateway));
            }
        }
        // A stable order: the configuration text must not change when the kernel lists the same routes differently.
        return routes.Distinct()
            .OrderBy(r => r.Dst.IsIPv4 ? 0 : 1)
            .ThenBy(r => r.Dst.Network.ToString(), StringComparer.Ordinal)
            .ThenBy(r => r.Gateway.ToString(), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>True when BIRD routes are in the kernel (left by a BIRD that was killed or stopped for a graceful restart).</summary>
    public static bool HaveBirdRoutes(RouteNetlink netlink) =>
        new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 }
            .Any(f => netlink.ListRoutes(f, (RouteProtocol)BirdProtocol).Count > 0);

    /// <summary>True when <paramref name="inner"/> is <paramref name="outer"/> or a part of it (a default route is not a part of anything).</summary>
    private static bool Within(IPPrefix inner, IPPrefix outer) =>
        inner.IsIPv4 == outer.IsIPv4 && inner.PrefixLength >= outer.PrefixLength && outer.Network.Contains(inner.Address);
}
