using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Chaining;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Netfilter;

/// <summary>
/// cnisharp-ptp with ipMasq: the same shared masquerade elements as the bridge, for routed pods (their traffic
/// leaves through the host's routing, never a bridge).
/// </summary>
[Collection(KernelCollection.Name)]
public class PtpMasqueradeTests
{
    private const string Ptp = "cnisharp-ptp";

    public PtpMasqueradeTests() => CniPluginRunner.RequireBinary();

    [RootFact]
    public void RoutedPodToOutside_ArrivesFromTheHost_PodToPodKeepsItsSource_AndDelWithoutNetnsLeavesNothing()
    {
        using var net = new TestNetwork(dualStack: true);
        using var outside = new OutsideClient(net.Octet);
        string config = net.PtpConfig(c =>
        {
            c["ipMasq"] = true;
            c["nonMasqueradeCIDRs"] = new JsonArray((JsonNode)"10.231.0.0/16");
        });
        using var pod1 = new BridgePod("ptpmasq", Ptp);
        using var pod2 = new BridgePod("ptpmasq", Ptp);
        pod1.AddOrFail(config);
        pod2.AddOrFail(config);

        using (var server = new TcpProbe(outside.Netns, 7000, dualStack: true))
        {
            Assert.Equal($"{server.Token} {outside.HostAddress}", TcpProbe.Fetch(pod1.Netns, outside.ClientAddress, 7000));
            Assert.Equal($"{server.Token} {outside.HostAddress6}", TcpProbe.Fetch(pod1.Netns, outside.ClientAddress6, 7000));
        }
        using (var server = new TcpProbe(pod2.Netns, 7000, dualStack: true))
        {
            Assert.Equal($"{server.Token} {pod1.Address4}", TcpProbe.Fetch(pod1.Netns, pod2.Address4, 7000));
            Assert.Equal($"{server.Token} {pod1.Address6}", TcpProbe.Fetch(pod1.Netns, pod2.Address6, 7000));
        }
        Assert.Equal(2, NftState.Owners(net.Name).Count(o => o == $"{pod1.ContainerId}/eth0"));

        Assert.Equal(0, pod1.Del(config, emptyNetns: true).ExitCode);
        Assert.DoesNotContain(NftState.Owners(net.Name), o => o.StartsWith(pod1.ContainerId, StringComparison.Ordinal));
        Assert.Equal(0, pod2.Del(config).ExitCode);
        Assert.Empty(NftState.Owners(net.Name));
    }
}
