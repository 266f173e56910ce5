using System.Net;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Ip;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netfilter;

/// <summary>The host-port and spoof-check layers against the kernel, in a private namespace.</summary>
public class HostPortsLayerTests
{
    private static readonly IPAddress PodA = IPAddress.Parse("10.244.1.5");
    private static readonly IPAddress PodB = IPAddress.Parse("10.244.1.6");

    [RootFact]
    public void Mappings_AreElementsOfTheirOwner_ConflictsNameTheHolder_RemovalReturnsThem() => Run(() =>
    {
        using NfTables nft = NfTables.Open();
        var a = new ElementOwner("net1", "ctr-a", "eth0");
        var b = new ElementOwner("net1", "ctr-b", "eth0");
        HostPortMapping[] mappingsA =
        [
            new(null, NftKey.Tcp, 8080, PodA, 80),
            new(IPAddress.Parse("192.0.2.10"), NftKey.Udp, 5353, PodA, 53),
            new(null, NftKey.Tcp, 8443, IPAddress.Parse("fd00:244::5"), 443),
        ];
        HostPorts.Add(nft, a, mappingsA, [IPPrefix.Parse("10.244.1.5/24")]);
        HostPorts.Add(nft, a, mappingsA, [IPPrefix.Parse("10.244.1.5/24")]);

        string ruleset = RunNft("list ruleset");
        Assert.Contains("tcp . 8080 comment \"net1/ctr-a/eth0\" : 10.244.1.5 . 80", ruleset);
        Assert.Contains("192.0.2.10 . udp . 5353 comment \"net1/ctr-a/eth0\" : 10.244.1.5 . 53", ruleset);
        Assert.Contains("tcp . 8443 comment \"net1/ctr-a/eth0\" : fd00:244::5 . 443", ruleset);
        Assert.Contains("10.244.1.0/24 . 10.244.1.5 comment \"net1/ctr-a/eth0\"", ruleset);
        Assert.Contains("fib daddr type local jump hostports", ruleset);
        Assert.Equal(mappingsA.OrderBy(m => m.HostPort), HostPorts.Owned(nft, a).OrderBy(m => m.HostPort));

        var conflict = Assert.Throws<HostPortConflictException>(() =>
            HostPorts.Add(nft, b, [new HostPortMapping(null, NftKey.Tcp, 9000, PodB, 90), new HostPortMapping(null, NftKey.Tcp, 8080, PodB, 80)], []));
        Assert.Equal("net1/ctr-a/eth0", conflict.Holder);
        Assert.Contains("*:8080/tcp is already mapped to 10.244.1.5:80 by attachment net1/ctr-a/eth0", conflict.Message);
        // All or nothing: the conflict left nothing of B's behind.
        Assert.DoesNotContain("ctr-b", RunNft("list ruleset"));
        // The same port on another protocol is no conflict.
        HostPorts.Add(nft, b, [new HostPortMapping(null, NftKey.Udp, 8080, PodB, 80)], []);

        List<HostPortMapping> removed = HostPorts.Remove(nft, a);
        Assert.Equal(mappingsA.OrderBy(m => m.HostPort), removed.OrderBy(m => m.HostPort));
        ruleset = RunNft("list ruleset");
        Assert.DoesNotContain("ctr-a", ruleset);
        Assert.Contains("udp . 8080 comment \"net1/ctr-b/eth0\"", ruleset);
        Assert.Empty(HostPorts.Remove(nft, a));
        HostPorts.Validate(nft);
    });

    [RootFact]
    public void SpoofCheck_GuardsThePortWithItsMac_UntilRemoved() => Run(() =>
    {
        using NfTables nft = NfTables.Open();
        var a = new ElementOwner("net1", "ctr-a", "eth0");
        SpoofCheck.Add(nft, a, "cns0123456789ab", System.Net.NetworkInformation.PhysicalAddress.Parse("02-11-22-33-44-55"));
        string ruleset = RunNft("list table bridge cnisharp");
        Assert.Contains("iifname @spoofchk-ports iifname . ether saddr != @spoofchk-allowed drop", ruleset);
        Assert.Contains("\"cns0123456789ab\" . 02:11:22:33:44:55 comment \"net1/ctr-a/eth0\"", ruleset);
        SpoofCheck.Remove(nft, a);
        Assert.DoesNotContain("cns0123456789ab", RunNft("list table bridge cnisharp"));
        SpoofCheck.Validate(nft);
    });
}
