using CniSharp.Netfilter;

namespace CniSharp.Tests.Netfilter;

public class ElementOwnerTests
{
    [Fact]
    public void Comment_IsNetworkContainerAndIfName_AndParsesBack()
    {
        var owner = new ElementOwner("net1", "ctr-a", "eth0");
        Assert.Equal("net1/ctr-a/eth0", owner.Comment);
        Assert.True(ElementOwner.TryParse(owner.Comment, "net1", out string id, out string ifName));
        Assert.Equal(("ctr-a", "eth0"), (id, ifName));
        Assert.True(owner.Owns("net1/ctr-a/eth0"));
        Assert.False(owner.Owns("net1/ctr-a/eth1"));
    }

    [Theory]
    [InlineData("net1/ctr-a/eth0", "net2")]
    [InlineData("net10/ctr-a/eth0", "net1")]
    [InlineData("net1/eth0", "net1")]
    [InlineData("net1//eth0", "net1")]
    [InlineData(null, "net1")]
    public void CommentsOfOtherNetworksOrMalformed_DoNotParse(string? comment, string network) =>
        Assert.False(ElementOwner.TryParse(comment, network, out _, out _));

    [Fact]
    public void LongNetworkNames_BecomeAPrefixAndAStableHash_WithinTheCommentLimit()
    {
        string network = "cnibench-1234567-ipv4-masq-cnisharp";
        string tag = ElementOwner.NetworkTag(network);
        Assert.Equal(32, tag.Length);
        Assert.StartsWith(network[..23] + "~", tag);
        Assert.Equal(tag, ElementOwner.NetworkTag(network));
        Assert.NotEqual(tag, ElementOwner.NetworkTag(network + "x"));
        var owner = new ElementOwner(network, new string('c', 200), "eth0123456789ab");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(owner.Comment) <= CniSharp.Netlink.Netfilter.NftUserData.MaxCommentBytes);
        Assert.True(ElementOwner.TryParse(owner.Comment, network, out string id, out _));
        Assert.Equal(200, id.Length);
    }

    [Fact]
    public void NetworkTag_MatchesTheBenchmarksCopy()
    {
        // scripts/lib/bench_variants.py (_network_tag) computes the same tag to find CniSharp's elements;
        // this is its answer for the same name.
        Assert.Equal("cnibench-1234567-ipv4-m~214e26fa", ElementOwner.NetworkTag("cnibench-1234567-ipv4-masq-cnisharp"));
    }
}
