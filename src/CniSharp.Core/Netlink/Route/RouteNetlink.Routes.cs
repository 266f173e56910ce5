using System.Net.Sockets;

namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    /// <summary>Equivalent to: ip [-6] route show table {table} (main when null)</summary>
    public IReadOnlyList<RouteInfo> ListRoutes(AddressFamily family, int? table = null)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.GetRoute, NlmFlags.Dump);
        w.WriteHeader(new RtMsg { Family = FamilyOf(family) });
        var routes = new List<RouteInfo>();
        NetlinkAck ack = _session.Query(w, table ?? (int)RouteTable.Main, RouteParser.TryParse, routes);
        if (ack.Failed) throw ack.ToException($"list routes of table {table ?? (int)RouteTable.Main}");
        return routes;
    }

    /// <summary>Equivalent to: ip route add|append {dst} [via {gw}] [dev {oif}] [metric N] [src S] [table T] [mtu M] [advmss A]</summary>
    public void AddRoute(RouteRequest route, bool append = false)
    {
        // append adds a sibling (e.g. ECMP) where add would fail with EEXIST.
        NlmFlags flags = NlmFlags.Create | (append ? NlmFlags.Append : NlmFlags.Excl) | NlmFlags.Ack;
        NetlinkMessageWriter w = _session.Begin(RtmType.NewRoute, flags);
        RouteScope scope = route.Scope is byte s ? (RouteScope)s
            : route.Gateway is null ? RouteScope.Link : RouteScope.Universe;
        WriteRoute(w, route, RouteProtocol.Boot, scope, RouteType.Unicast);
        if (route.Mtu is not null || route.AdvMss is not null)
        {
            using (w.BeginNested(RouteAttr.Metrics))
            {
                if (route.Mtu is int mtu) w.WriteUInt32(RouteMetricAttr.Mtu, (uint)mtu);
                if (route.AdvMss is int mss) w.WriteUInt32(RouteMetricAttr.AdvMss, (uint)mss);
            }
        }
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"{(append ? "append" : "add")} {DescribeRoute(route)}");
    }

    /// <summary>Equivalent to: ip route del {dst} [via {gw}] [dev {oif}] [metric N] [table T]</summary>
    public void DeleteRoute(RouteRequest route)
    {
        // Unspecified protocol and type and RT_SCOPE_NOWHERE are the kernel's "match any" for a delete.
        NetlinkMessageWriter w = _session.Begin(RtmType.DelRoute, NlmFlags.Ack);
        RouteScope scope = route.Scope is byte s ? (RouteScope)s : RouteScope.Nowhere;
        WriteRoute(w, route, RouteProtocol.Unspec, scope, RouteType.Unspec);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"delete {DescribeRoute(route)}");
    }

    private static void WriteRoute(NetlinkMessageWriter w, RouteRequest route, RouteProtocol protocol, RouteScope scope, RouteType type,
        uint flags = 0)
    {
        // rtm_table is 8 bits: larger ids go in RTA_TABLE with rtm_table left RT_TABLE_UNSPEC.
        int table = route.Table ?? (int)RouteTable.Main;
        w.WriteHeader(new RtMsg
        {
            Family = FamilyOf(route.Dst.Family),
            DstLength = (byte)route.Dst.PrefixLength,
            Table = table <= byte.MaxValue ? (RouteTable)table : RouteTable.Unspec,
            Protocol = protocol,
            Scope = scope,
            Type = type,
            Flags = flags,
        });
        if (route.Dst.PrefixLength > 0) w.WriteAddress(RouteAttr.Dst, route.Dst.Network.Address);
        if (route.Gateway is { } gateway) w.WriteAddress(RouteAttr.Gateway, gateway);
        if (route.Priority is int priority) w.WriteUInt32(RouteAttr.Priority, (uint)priority);
        if (route.PrefSrc is { } src) w.WriteAddress(RouteAttr.PrefSrc, src);
        if (route.OutIndex is int oif) w.WriteUInt32(RouteAttr.Oif, (uint)oif);
        if (route.Table is not null) w.WriteUInt32(RouteAttr.Table, (uint)table);
    }

    private string DescribeRoute(RouteRequest route)
    {
        string via = route.Gateway is { } gateway ? $" via {gateway}" : "";
        string dev = route.OutIndex is int oif ? $" dev {DescribeLink(oif)}" : "";
        string table = route.Table is int t ? $" table {t}" : "";
        return $"route {route.Dst.Network}{via}{dev}{table}";
    }
}
