using System.Net;
using CniSharp.Agent.Bgp;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;
using static CniSharp.Agent.Tests.Bgp.BgpFixtures;

namespace CniSharp.Agent.Tests.Bgp;

public class AgentRoutedPeersTests
{
    private static readonly NodeLease HostGwNode = new(
        new NodeAttributes("old", IPAddress.Parse("192.168.10.9"), null, BackendKind.HostGw, null), [IPPrefix.Parse("10.244.9.0/24")]);

    [Fact]
    public void Plain_bgp_leaves_bgp_nodes_to_bird_and_routes_the_others_itself()
    {
        IReadOnlyList<NodeLease> mine = AgentRoutedPeers.Select(new BgpOptions(), Eth0, [Near, Far, HostGwNode]);
        Assert.Equal([HostGwNode], mine);
    }

    [Fact]
    public void Crosssubnet_takes_the_subnets_of_bgp_nodes_behind_a_router()
    {
        IReadOnlyList<NodeLease> mine = AgentRoutedPeers.Select(new BgpOptions { CrossSubnet = true }, Eth0, [Near, Far]);
        NodeLease far = Assert.Single(mine);
        Assert.Equal("far", far.Node);
        Assert.Equal(Far.Subnets, far.Subnets);
    }
}
