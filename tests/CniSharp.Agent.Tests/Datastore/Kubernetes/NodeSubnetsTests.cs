using CniSharp.Agent.Datastore.Kubernetes;
using CniSharp.Ip;
using k8s.Models;

namespace CniSharp.Agent.Tests.Datastore.Kubernetes;

public class NodeSubnetsTests
{
    private static V1Node Node(string? podCidr, params string[] podCidrs) => new()
    {
        Metadata = new V1ObjectMeta { Name = "n1" },
        Spec = new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = podCidrs.Length == 0 ? null : podCidrs },
    };

    [Fact]
    public void Dual_stack_podCIDRs_come_IPv4_first()
    {
        Assert.Equal([IPPrefix.Parse("10.244.1.0/24"), IPPrefix.Parse("fd00:10:244:1::/64")],
            NodeSubnets.Of(Node("fd00:10:244:1::/64", "fd00:10:244:1::/64", "10.244.1.0/24")));
    }

    [Fact]
    public void PodCIDR_alone_is_used_when_podCIDRs_is_absent()
    {
        Assert.Equal([IPPrefix.Parse("10.244.2.0/24")], NodeSubnets.Of(Node("10.244.2.0/24")));
    }

    [Fact]
    public void No_podCIDR_yet_is_empty()
    {
        Assert.Empty(NodeSubnets.Of(Node(null)));
        Assert.Empty(NodeSubnets.Of(new V1Node { Metadata = new V1ObjectMeta { Name = "n1" } }));
    }

    [Theory]
    [InlineData("10.244.1.1/24")]
    [InlineData("10.244.1.0")]
    [InlineData("not-a-cidr")]
    public void A_podCIDR_that_is_no_network_prefix_is_an_error(string cidr)
    {
        var e = Assert.Throws<FormatException>(() => NodeSubnets.Of(Node(null, cidr)));
        Assert.Contains(cidr, e.Message);
    }
}
