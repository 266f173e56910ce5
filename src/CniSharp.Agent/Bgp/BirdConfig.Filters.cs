using System.Net;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Bgp;

internal static partial class BirdConfig
{
    /// <summary>An address family as BIRD names it: channel "ipv4"/"ipv6", protocol and table suffix "4"/"6".</summary>
    private readonly record struct Family(bool IsIPv4)
    {
        public static readonly Family V4 = new(true);
        public static readonly Family V6 = new(false);
        public static readonly Family[] All = [V4, V6];

        public string Name => IsIPv4 ? "ipv4" : "ipv6";

        public string Suffix => IsIPv4 ? "4" : "6";

        public bool Holds(IPPrefix prefix) => prefix.IsIPv4 == IsIPv4;

        public IPAddress? LocalAddress(Underlay underlay) => IsIPv4 ? underlay.IPv4 : underlay.IPv6;

        public IPAddress? PeerAddress(NodeAttributes peer) => IsIPv4 ? peer.PublicIP : peer.PublicIPv6;
    }

    private static void RenderFilters(Writer w, Family f, BirdConfigInput input, IReadOnlyList<NodeLease> bgpPeers, bool reflector)
    {
        string s = f.Suffix;
        // (subnet, holder's underlay address) for every BGP peer's subnet of this family that it can be reached for.
        var leased = bgpPeers
            .SelectMany(p => p.Subnets.Where(f.Holds).Select(subnet => (Subnet: subnet, NextHop: f.PeerAddress(p.Attributes))))
            .Where(l => l.NextHop is not null)
            .ToList();

        w.Line("# From nodes (iBGP): a pod subnet leased to a BGP node, with that node as next hop (a reflector passes it");
        w.Line("# on unchanged). Anything else a node or reflector announces is refused.");
        w.Open($"filter cluster_in{s}");
        foreach ((IPPrefix subnet, IPAddress? nextHop) in leased)
            w.Line($"if net = {subnet.Network} then {{ if bgp_next_hop = {nextHop} then accept; reject; }}");
        w.Line("reject;");
        w.Close();

        w.Line("# From external peers: pod subnets leased to the other BGP nodes, nothing else.");
        w.Open($"filter external_in{s}");
        if (leased.Count > 0) w.Line($"if net ~ [ {string.Join(", ", leased.Select(l => l.Subnet.Network))} ] then accept;");
        w.Line("reject;");
        w.Close();

        w.Line(reflector
            ? "# To nodes: this node's pod subnets, and (as a route reflector) what the nodes announced."
            : "# To nodes: this node's pod subnets only.");
        w.Open($"filter cluster_out{s}");
        w.Line($"if proto = \"pods{s}\" then accept;");
        if (reflector) w.Line("if source = RTS_BGP then accept;");
        w.Line("reject;");
        w.Close();

        w.Line("# To external peers: this node's pod subnets only.");
        w.Open($"filter external_out{s}");
        w.Line($"if proto = \"pods{s}\" then accept;");
        w.Line("reject;");
        w.Close();

        List<IPPrefix> onLink = input.Underlay.Prefixes.Where(f.Holds).Select(p => p.Network).Distinct().ToList();
        w.Line(input.Options.CrossSubnet
            ? "# Into the kernel: peers' routes with a next hop on this node's subnet (the others go over the agent's VXLAN)."
            : "# Into the kernel: peers' routes whose next hop resolved (an unresolved one never becomes an unreachable route).");
        w.Open($"filter kernel_out{s}");
        w.Line("if source != RTS_BGP then reject;");
        w.Line("if dest != RTD_UNICAST then reject;");
        if (input.Options.CrossSubnet)
        {
            // ip ~ prefix, one prefix at a time: BIRD matches an address against a prefix but not against a prefix set.
            w.Line(onLink.Count > 0
                ? $"if !({string.Join(" || ", onLink.Select(p => $"bgp_next_hop ~ {p}"))}) then reject;"
                : "reject;");
        }
        w.Line("accept;");
        w.Close();
        w.Line();
    }
}
