using System.Net.Sockets;

namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    /// <summary>RTNH_F_ONLINK (linux/rtnetlink.h): the gateway is on the link even though no prefix says so.</summary>
    private const uint RTNH_F_ONLINK = 4;

    /// <summary>
    /// Equivalent to: ip route replace {dst} via {gw} dev {oif} [onlink] proto {protocol} [metric N] [table T].
    /// Atomic in the kernel (NLM_F_REPLACE): a route whose next hop changes is never absent in between. The
    /// protocol marks who owns the route, so its owner can find exactly its own routes again
    /// (<see cref="ListRoutes(AddressFamily, RouteProtocol)"/>).
    /// </summary>
    public void ReplaceRoute(RouteRequest route, RouteProtocol protocol, bool onLink = false)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewRoute, NlmFlags.Create | NlmFlags.Replace | NlmFlags.Ack);
        RouteScope scope = route.Scope is byte s ? (RouteScope)s
            : route.Gateway is null ? RouteScope.Link : RouteScope.Universe;
        WriteRoute(w, route, protocol, scope, RouteType.Unicast, onLink ? RTNH_F_ONLINK : 0);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"replace {DescribeRoute(route)}{(onLink ? " onlink" : "")} proto {(byte)protocol}");
    }

    /// <summary>Equivalent to: ip [-6] route show table {table} proto {protocol} (main when null)</summary>
    public IReadOnlyList<RouteInfo> ListRoutes(AddressFamily family, RouteProtocol protocol, int? table = null) =>
        ListRoutes(family, table).Where(r => r.Protocol == (byte)protocol).ToList();
}
