using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Ip;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netfilter;

/// <summary>The masquerade layer against the kernel, in a private namespace: what nft sees after each step.</summary>
public class MasqueradeLayerTests
{
    private static readonly IPPrefix[] NoExtraExemptions = [];

    [RootFact]
    public void FirstPodCreatesTheRuleOnce_PodsAreElements_RemovalIsByOwner() => Run(() =>
    {
        using NfTables nft = NfTables.Open();
        var a = new ElementOwner("net1", "ctr-a", "eth0");
        var b = new ElementOwner("net1", "ctr-b", "eth0");
        Masquerade.AddPod(nft, a, [IPPrefix.Parse("10.244.1.5/24"), IPPrefix.Parse("fd00:244:1::5/64")], [IPPrefix.Parse("10.244.0.0/16")]);
        Masquerade.AddPod(nft, b, [IPPrefix.Parse("10.244.1.6/24")], [IPPrefix.Parse("10.244.0.0/16")]);
        Masquerade.AddPod(nft, b, [IPPrefix.Parse("10.244.1.6/24")], [IPPrefix.Parse("10.244.0.0/16")]);

        string ruleset = RunNft("list ruleset");
        Assert.Single(ruleset.Split('\n'), l => l.Contains("ip saddr @masq-pods4-net1 ip daddr != @masq-exempt4-net1 ip daddr != @masq-subnets4-net1 masquerade"));
        Assert.Single(ruleset.Split('\n'), l => l.Contains("ip6 saddr @masq-pods6-net1"));
        Assert.Contains("10.244.1.5 comment \"net1/ctr-a/eth0\"", ruleset);
        Assert.Contains("10.244.1.6 comment \"net1/ctr-b/eth0\"", ruleset);
        Assert.Contains("fd00:244:1::5 comment \"net1/ctr-a/eth0\"", ruleset);
        Assert.Contains("10.244.0.0/16", ruleset);
        Assert.Contains("224.0.0.0/4", ruleset);
        Assert.Contains("fd00:244:1::/64", ruleset);
        // 10.244.1.0/24 is inside the exempt 10.244.0.0/16 already, so it is not added to the subnets set.
        Assert.DoesNotContain("10.244.1.0/24", ruleset);

        Masquerade.RemovePod(nft, a);
        ruleset = RunNft("list ruleset");
        Assert.DoesNotContain("ctr-a", ruleset);
        Assert.Contains("10.244.1.6 comment \"net1/ctr-b/eth0\"", ruleset);
        Masquerade.RemovePod(nft, a);
        Masquerade.Validate(nft);
    });
}
