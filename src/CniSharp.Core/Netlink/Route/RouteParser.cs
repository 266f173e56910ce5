using System.Net;
using CniSharp.Ip;

namespace CniSharp.Netlink.Route;

/// <summary>RTM_NEWROUTE → <see cref="RouteInfo"/>.</summary>
internal static class RouteParser
{
    /// <summary>Parses an RTM_NEWROUTE that lives in table <paramref name="table"/>.</summary>
    public static bool TryParse(NetlinkMessage message, in int table, out RouteInfo route)
    {
        route = null!;
        if (!message.Is(RtmType.NewRoute))
            return false;
        RtMsg header = message.ReadHeader<RtMsg>();
        var fields = new Fields { Table = (int)header.Table };
        NetlinkAttributeReader attributes = message.Attributes<RtMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            switch ((RouteAttr)attribute.Type)
            {
                case RouteAttr.Dst: fields.Dst = attribute.GetAddress(); break;
                case RouteAttr.Gateway: fields.Gateway = attribute.GetAddress(); break;
                case RouteAttr.Oif: fields.Oif = attribute.GetInt32(); break;
                case RouteAttr.Priority: fields.Priority = attribute.GetInt32(); break;
                case RouteAttr.PrefSrc: fields.PrefSrc = attribute.GetAddress(); break;
                // RTA_TABLE carries the full 32-bit id; rtm_table says RT_TABLE_COMPAT above 255.
                case RouteAttr.Table: fields.Table = attribute.GetInt32(); break;
                case RouteAttr.Metrics: ParseMetrics(attribute.Nested, ref fields); break;
            }
        }
        if (fields.Table != table)
            return false;

        // A default route has no RTA_DST; its destination is the family's any-address.
        IPAddress dst = fields.Dst ?? (header.Family == NetlinkConstants.AF_INET ? IPAddress.Any : IPAddress.IPv6Any);
        route = new RouteInfo
        {
            Dst = new IPPrefix(dst, header.DstLength),
            Gateway = fields.Gateway,
            OutIndex = fields.Oif,
            Table = fields.Table,
            Scope = (byte)header.Scope,
            Protocol = (byte)header.Protocol,
            Type = (byte)header.Type,
            Priority = fields.Priority,
            PrefSrc = fields.PrefSrc,
            Mtu = fields.Mtu,
            AdvMss = fields.AdvMss,
        };
        return true;
    }

    private static void ParseMetrics(NetlinkAttributeReader metrics, ref Fields fields)
    {
        while (metrics.TryRead(out NetlinkAttribute attribute))
        {
            switch ((RouteMetricAttr)attribute.Type)
            {
                case RouteMetricAttr.Mtu: fields.Mtu = attribute.GetInt32(); break;
                case RouteMetricAttr.AdvMss: fields.AdvMss = attribute.GetInt32(); break;
            }
        }
    }

    private struct Fields
    {
        public int Table;
        public IPAddress? Dst;
        public IPAddress? Gateway;
        public int? Oif;
        public int? Priority;
        public IPAddress? PrefSrc;
        public int? Mtu;
        public int? AdvMss;
    }
}
