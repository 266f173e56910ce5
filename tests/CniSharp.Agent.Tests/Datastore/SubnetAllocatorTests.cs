using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Datastore;

public class SubnetAllocatorTests
{
    private static readonly IPPrefix Cidr = IPPrefix.Parse("10.244.0.0/16");

    [Fact]
    public void Every_subnet_once_network_subnet_last()
    {
        List<IPPrefix> all = SubnetAllocator.Candidates(Cidr, 24, "node-a", new HashSet<IPPrefix>()).ToList();
        Assert.Equal(256, all.Count);
        Assert.Equal(256, all.Distinct().Count());
        Assert.All(all, s => Assert.True(s.PrefixLength == 24 && Cidr.Contains(s.Address) && s.Network.Equals(s)));
        Assert.Equal(IPPrefix.Parse("10.244.0.0/24"), all[^1]);
    }

    [Fact]
    public void Stable_per_node_and_different_between_nodes()
    {
        var none = new HashSet<IPPrefix>();
        Assert.Equal(SubnetAllocator.Candidates(Cidr, 24, "node-a", none).First(), SubnetAllocator.Candidates(Cidr, 24, "node-a", none).First());
        Assert.NotEqual(SubnetAllocator.Candidates(Cidr, 24, "node-a", none).First(), SubnetAllocator.Candidates(Cidr, 24, "node-b", none).First());
    }

    [Fact]
    public void Taken_subnets_are_skipped()
    {
        var taken = SubnetAllocator.Candidates(Cidr, 24, "x", new HashSet<IPPrefix>()).Take(255).ToHashSet();
        Assert.Equal([IPPrefix.Parse("10.244.0.0/24")], SubnetAllocator.Candidates(Cidr, 24, "x", taken).ToList());
    }

    [Fact]
    public void Ipv6_is_bounded()
    {
        IPPrefix v6 = IPPrefix.Parse("fd00:10:244::/48");
        List<IPPrefix> first = SubnetAllocator.Candidates(v6, 64, "n", new HashSet<IPPrefix>()).Take(3).ToList();
        Assert.All(first, s => Assert.True(s.PrefixLength == 64 && v6.Contains(s.Address)));
        Assert.Equal(1 << 16, SubnetAllocator.Candidates(v6, 64, "n", new HashSet<IPPrefix>()).Count());
    }
}
