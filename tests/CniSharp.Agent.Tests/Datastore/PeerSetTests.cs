using System.Net;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Datastore;

public class PeerSetTests
{
    private static NodeAttributes Node(string name, string ip) => new(name, IPAddress.Parse(ip), null, BackendKind.HostGw, null);

    [Fact]
    public void One_lease_per_node_without_self_newest_attributes_win()
    {
        IReadOnlyList<NodeLease> set = PeerSet.Build(
        [
            new(IPPrefix.Parse("fd00::/64"), Node("b", "10.0.0.2"), 5),
            new(IPPrefix.Parse("10.244.2.0/24"), Node("b", "10.0.0.9"), 7),
            new(IPPrefix.Parse("10.244.1.0/24"), Node("a", "10.0.0.1"), 3),
            new(IPPrefix.Parse("10.244.3.0/24"), Node("self", "10.0.0.3"), 4),
        ], "self");
        Assert.Equal(["a", "b"], set.Select(l => l.Node));
        Assert.Equal([IPPrefix.Parse("10.244.2.0/24"), IPPrefix.Parse("fd00::/64")], set[1].Subnets);
        Assert.Equal(IPAddress.Parse("10.0.0.9"), set[1].Attributes.PublicIP);
    }
}
