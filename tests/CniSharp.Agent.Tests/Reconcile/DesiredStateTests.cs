using System.Net;
using System.Net.NetworkInformation;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Agent.Reconcile;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Reconcile;

public class DesiredStateTests
{
    internal static readonly Underlay Eth0 = new("eth0", 2, 1500, IPAddress.Parse("192.168.10.2"),
        [IPPrefix.Parse("192.168.10.2/24"), IPPrefix.Parse("fd00:10::2/64")], IPAddress.Parse("fd00:10::2"));

    private static readonly PhysicalAddress MacB = VtepMac.For("far");

    internal static NodeLease Peer(string name, string ip, BackendKind backend, bool vtep, params string[] subnets) =>
        new(new NodeAttributes(name, IPAddress.Parse(ip), ip.StartsWith("192.168.10.") ? IPAddress.Parse("fd00:10::" + ip.Split('.')[3]) : null,
            backend, vtep ? VtepMac.For(name) : null), subnets.Select(IPPrefix.Parse).ToList());

    [Fact]
    public void Host_gw_routes_via_on_link_peers_and_reports_the_others()
    {
        DesiredState d = DesiredState.Compute(BackendKind.HostGw, Eth0, null,
        [
            Peer("near", "192.168.10.3", BackendKind.HostGw, false, "10.244.3.0/24", "fd00:244:3::/64"),
            Peer("far", "192.168.20.4", BackendKind.HostGw, false, "10.244.4.0/24"),
        ]);
        Assert.Equal(new HashSet<AgentRoute>
        {
            new(IPPrefix.Parse("10.244.3.0/24"), IPAddress.Parse("192.168.10.3"), 2, false),
            new(IPPrefix.Parse("fd00:244:3::/64"), IPAddress.Parse("fd00:10::3"), 2, false),
        }, d.Routes);
        UnreachablePeer far = Assert.Single(d.Unreachable);
        Assert.Equal(("far", IPAddress.Parse("192.168.20.4")), (far.Node, far.Address));
        Assert.Contains("not on-link", far.Reason);
        Assert.Empty(d.Neighbours);
        Assert.Empty(d.Fdb);
    }

    [Fact]
    public void Vxlan_programs_neighbour_fdb_and_onlink_route_per_peer_for_both_families()
    {
        DesiredState d = DesiredState.Compute(BackendKind.Vxlan, Eth0, 9,
            [Peer("far", "192.168.20.4", BackendKind.Vxlan, true, "10.244.4.0/24", "fd00:244:4::/64")]);
        Assert.Equal(new HashSet<AgentRoute>
        {
            new(IPPrefix.Parse("10.244.4.0/24"), IPAddress.Parse("10.244.4.0"), 9, true),
            new(IPPrefix.Parse("fd00:244:4::/64"), IPAddress.Parse("fd00:244:4::"), 9, true),
        }, d.Routes);
        Assert.Equal(new HashSet<NeighbourEntry>
        {
            new(9, IPAddress.Parse("10.244.4.0"), MacB),
            new(9, IPAddress.Parse("fd00:244:4::"), MacB),
        }, d.Neighbours);
        // One FDB entry per peer (the IPv6 subnet rides the same IPv4 tunnel).
        Assert.Equal(new HashSet<FdbEntry> { new(9, MacB, IPAddress.Parse("192.168.20.4")) }, d.Fdb);
        Assert.Empty(d.Unreachable);
    }

    [Fact]
    public void Crosssubnet_is_direct_on_link_and_vxlan_across()
    {
        DesiredState d = DesiredState.Compute(BackendKind.CrossSubnet, Eth0, 9,
        [
            Peer("near", "192.168.10.3", BackendKind.CrossSubnet, true, "10.244.3.0/24"),
            Peer("far", "192.168.20.4", BackendKind.CrossSubnet, true, "10.244.4.0/24"),
        ]);
        Assert.Contains(new AgentRoute(IPPrefix.Parse("10.244.3.0/24"), IPAddress.Parse("192.168.10.3"), 2, false), d.Routes);
        Assert.Contains(new AgentRoute(IPPrefix.Parse("10.244.4.0/24"), IPAddress.Parse("10.244.4.0"), 9, true), d.Routes);
        Assert.Single(d.Fdb);
        Assert.Single(d.Neighbours);
    }

    [Fact]
    public void Vxlan_to_a_peer_without_vtep_falls_back_to_direct_or_reports()
    {
        DesiredState d = DesiredState.Compute(BackendKind.Vxlan, Eth0, 9,
        [
            Peer("near", "192.168.10.3", BackendKind.HostGw, false, "10.244.3.0/24"),
            Peer("far", "192.168.20.4", BackendKind.HostGw, false, "10.244.4.0/24"),
        ]);
        Assert.Equal([new AgentRoute(IPPrefix.Parse("10.244.3.0/24"), IPAddress.Parse("192.168.10.3"), 2, false)], d.Routes);
        Assert.Contains("no VXLAN endpoint", Assert.Single(d.Unreachable).Reason);
    }
}
