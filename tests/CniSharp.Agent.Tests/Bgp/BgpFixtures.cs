using System.Net;
using CniSharp.Agent.Bgp;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Bgp;

/// <summary>A node on 192.168.10.0/24 (fd00:10::/64) with a default gateway, and peers around it.</summary>
internal static class BgpFixtures
{
    public static readonly Underlay Eth0 = new("eth0", 2, 1500, IPAddress.Parse("192.168.10.2"),
        [IPPrefix.Parse("192.168.10.2/24"), IPPrefix.Parse("fd00:10::2/64")], IPAddress.Parse("fd00:10::2"));

    public static readonly IReadOnlyList<UnderlayRoute> Gateways =
    [
        new(IPPrefix.Parse("0.0.0.0/0"), IPAddress.Parse("192.168.10.1")),
        new(IPPrefix.Parse("::/0"), IPAddress.Parse("fe80::1")),
    ];

    public static NodeLease Self(params string[] subnets) =>
        new(new NodeAttributes("self", Eth0.IPv4, Eth0.IPv6, BackendKind.Bgp, null), subnets.Select(IPPrefix.Parse).ToList());

    public static NodeLease Node(string name, string ip, string? ip6, params string[] subnets) =>
        new(new NodeAttributes(name, IPAddress.Parse(ip), ip6 is null ? null : IPAddress.Parse(ip6), BackendKind.Bgp, null),
            subnets.Select(IPPrefix.Parse).ToList());

    public static readonly NodeLease Near = Node("near", "192.168.10.3", "fd00:10::3", "10.244.3.0/24", "fd00:244:3::/64");
    public static readonly NodeLease Far = Node("far", "192.168.20.4", "fd00:20::4", "10.244.4.0/24", "fd00:244:4::/64");
    public static readonly NodeLease DualSelf = Self("10.244.2.0/24", "fd00:244:2::/64");

    public static string Render(BgpOptions options, NodeLease self, params NodeLease[] peers) =>
        BirdConfig.Render(new BirdConfigInput(options, Eth0, Gateways, self, peers, "/run/cnisharp-agent/bird.log"));
}
