using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// cnisharp-bridge followed by cnisharp-portmap (capability portMappings), as conf/50-cnisharp-masq-portmap.conflist:
/// host ports reached from outside, from the host's localhost and from the pod itself, never for traffic the
/// host only routes; UDP after a pod is replaced; conflicts; and nothing left after DEL or GC.
/// </summary>
[Collection(KernelCollection.Name)]
public class CnisharpPortmapChainTests
{
    public CnisharpPortmapChainTests() => CniPluginRunner.RequireBinary();

    private static JsonObject Conflist(TestNetwork net, Action<JsonObject>? portmap = null)
    {
        var plugin = new JsonObject { ["type"] = "cnisharp-portmap" }.Capabilities("portMappings");
        portmap?.Invoke(plugin);
        // hairpinMode: with br_netfilter loaded (as on Kubernetes nodes, and here), a pod's connection to its own
        // host port is DNATed while bridged and goes back out of the port it came in by.
        return Chaining.Conflist.Of(net, Chaining.Conflist.Bridge(net, b => { b["isDefaultGateway"] = true; b["hairpinMode"] = true; }), plugin);
    }

    private static Dictionary<string, JsonNode?> Mapping(int hostPort, int containerPort, string protocol = "tcp") =>
        Chaining.Conflist.Args(("portMappings", $$"""[{"hostPort":{{hostPort}},"containerPort":{{containerPort}},"protocol":"{{protocol}}"}]"""));

    private static int RandomPort() => Random.Shared.Next(20000, 30000);

    [RootFact]
    public void HostPort_FromOutsideLocalhostAndThePod_ButNotForTrafficOnlyRoutedThroughTheHost()
    {
        using var net = new TestNetwork(dualStack: true);
        using var outside = new OutsideClient(net.Octet);
        using var pod = new TestNamespace("pm");
        using var bystander = new TestNamespace("pmb");
        int hostPort = RandomPort();
        string id = Unique.ContainerId();
        using var chain = new ChainRunner(Conflist(net), id, pod.Path, capabilityArgs: Mapping(hostPort, 8080));
        using var other = new ChainRunner(Conflist(net), Unique.ContainerId(), bystander.Path);
        JsonElement result = chain.Add().ShouldSucceed().Result;
        JsonElement bystanderResult = other.Add().ShouldSucceed().Result;
        string bystanderIp = Chaining.Conflist.Addresses(bystanderResult).Single(a => !a.Contains(':')).Split('/')[0];

        using (var server = new TcpProbe(pod.Name, 8080, dualStack: true))
        using (var routedTo = new TcpProbe(bystander.Name, hostPort))
        {
            // From another machine: translated, and the source kept.
            Assert.Equal($"{server.Token} {outside.ClientAddress}", TcpProbe.Fetch(outside.Netns, outside.HostAddress, hostPort));
            Assert.Equal($"{server.Token} {outside.ClientAddress6}", TcpProbe.Fetch(outside.Netns, outside.HostAddress6, hostPort));
            // From the host itself, and from the pod to its own host port (hairpin): both masqueraded to the bridge.
            Assert.Equal($"{server.Token} {net.Gateway4}", TcpProbe.FetchFromHost("127.0.0.1", hostPort));
            Assert.Equal($"{server.Token} {net.Gateway4}", TcpProbe.Fetch(pod.Name, net.Gateway4, hostPort));
            // Addressed to another pod, which the host only routes: untouched (GHSA-jv3w-x3r3-g6rm).
            Assert.Equal($"{routedTo.Token} {outside.ClientAddress}", TcpProbe.Fetch(outside.Netns, bystanderIp, hostPort));
        }

        Assert.True(chain.Check(result).Succeeded, chain.Check(result).ToString());
        Assert.True(chain.Status().Succeeded);
        Assert.Contains($"{net.Name}/{id}/eth0", NftState.Ruleset());

        chain.Del(result).ShouldSucceed();
        string ruleset = NftState.Ruleset();
        Assert.DoesNotContain(id, ruleset);
        Assert.DoesNotContain($". {hostPort} ", ruleset);
        Assert.Null(TcpProbe.Fetch(outside.Netns, outside.HostAddress, hostPort));
        other.Del(bystanderResult).ShouldSucceed();
    }

    [RootFact]
    public void UdpMapping_WorksAgainAtOnce_AfterItsPodIsReplaced()
    {
        using var net = new TestNetwork();
        using var outside = new OutsideClient(net.Octet);
        int hostPort = RandomPort(), sourcePort = RandomPort() + 10000;
        using var first = new TestNamespace("pmu");
        using var second = new TestNamespace("pmu");

        using (var chain = new ChainRunner(Conflist(net), Unique.ContainerId(), first.Path, capabilityArgs: Mapping(hostPort, 5353, "udp")))
        {
            JsonElement result = chain.Add().ShouldSucceed().Result;
            using (var server = new UdpProbe(first.Name, 5353))
                Assert.Equal(server.Token, UdpProbe.Ask(outside.Netns, outside.HostAddress, hostPort, sourcePort));
            Assert.Contains($"dport={hostPort}", Shell.Run("conntrack", ["-L", "-p", "udp", "--orig-port-dst", hostPort.ToString()]).Stdout);
            chain.Del(result).ShouldSucceed();
            // DEL flushed the flow that pointed at the gone pod.
            Assert.DoesNotContain($"dport={hostPort}", Shell.Run("conntrack", ["-L", "-p", "udp", "--orig-port-dst", hostPort.ToString()]).Stdout);
        }

        // The replacement pod (another address) answers the very same flow (same source port) at once.
        using var replaced = new ChainRunner(Conflist(net), Unique.ContainerId(), second.Path, capabilityArgs: Mapping(hostPort, 5353, "udp"));
        JsonElement again = replaced.Add().ShouldSucceed().Result;
        using (var server = new UdpProbe(second.Name, 5353))
            Assert.Equal(server.Token, UdpProbe.Ask(outside.Netns, outside.HostAddress, hostPort, sourcePort));
        replaced.Del(again).ShouldSucceed();
    }

    [RootFact]
    public void UdpFlowToTheHostPort_StartedBeforeTheMapping_IsRedirectedOnAdd()
    {
        using var net = new TestNetwork();
        using var outside = new OutsideClient(net.Octet);
        int hostPort = RandomPort(), sourcePort = RandomPort() + 10000;
        using var pod = new TestNamespace("pmu");
        // Before the pod exists the flow meets nothing (the host answers with port unreachable) and is tracked.
        Assert.Null(UdpProbe.Ask(outside.Netns, outside.HostAddress, hostPort, sourcePort, timeoutSeconds: 0.5));
        using var chain = new ChainRunner(Conflist(net), Unique.ContainerId(), pod.Path, capabilityArgs: Mapping(hostPort, 5353, "udp"));
        JsonElement result = chain.Add().ShouldSucceed().Result;
        using (var server = new UdpProbe(pod.Name, 5353))
            Assert.Equal(server.Token, UdpProbe.Ask(outside.Netns, outside.HostAddress, hostPort, sourcePort));
        chain.Del(result).ShouldSucceed();
    }

    [RootFact]
    public void ConflictingHostPort_IsRefusedWithCode11NamingTheHolder_AndLeavesTheHolderIntact()
    {
        using var net = new TestNetwork();
        using var outside = new OutsideClient(net.Octet);
        int hostPort = RandomPort();
        using var holderNs = new TestNamespace("pmc");
        using var latecomerNs = new TestNamespace("pmc");
        string holderId = Unique.ContainerId();
        using var holder = new ChainRunner(Conflist(net), holderId, holderNs.Path, capabilityArgs: Mapping(hostPort, 8080));
        using var latecomer = new ChainRunner(Conflist(net), Unique.ContainerId(), latecomerNs.Path, capabilityArgs: Mapping(hostPort, 9090));
        JsonElement held = holder.Add().ShouldSucceed().Result;

        ChainRunner.Outcome refused = latecomer.Add();
        Assert.False(refused.Succeeded);
        Assert.Equal("cnisharp-portmap", refused.Failed!.Type);
        Assert.Equal(11, refused.Failed.Output.ErrorCode);
        Assert.Contains($"*:{hostPort}/tcp is already mapped to", refused.Failed.Output.ErrorMessage);
        Assert.Contains($"{net.Name}/{holderId}/eth0", refused.Failed.Output.ErrorMessage);
        latecomer.Del(null).ShouldSucceed();

        using (var server = new TcpProbe(holderNs.Name, 8080))
            Assert.Equal($"{server.Token} {outside.ClientAddress}", TcpProbe.Fetch(outside.Netns, outside.HostAddress, hostPort));
        holder.Del(held).ShouldSucceed();
    }

    [RootFact]
    public void Gc_RemovesTheMappingsOfAttachmentsNotInTheValidList()
    {
        using var net = new TestNetwork();
        using var keptNs = new TestNamespace("pmg");
        using var lostNs = new TestNamespace("pmg");
        string keptId = Unique.ContainerId(), lostId = Unique.ContainerId();
        using var kept = new ChainRunner(Conflist(net), keptId, keptNs.Path, capabilityArgs: Mapping(RandomPort(), 80));
        using var lost = new ChainRunner(Conflist(net), lostId, lostNs.Path, capabilityArgs: Mapping(RandomPort(), 80, "udp"));
        JsonElement keptResult = kept.Add().ShouldSucceed().Result;
        lost.Add().ShouldSucceed();

        kept.Gc([(keptId, "eth0")]).ShouldSucceed();
        Assert.All(NftState.Owners(net.Name), o => Assert.Equal($"{keptId}/eth0", o));
        Assert.DoesNotContain(lostId, NftState.Ruleset());
        kept.Del(keptResult).ShouldSucceed();
    }

    [RootFact]
    public void UnsupportedKeys_AreRefusedByAddWithCode2_AndNoMappingIsMade()
    {
        using var net = new TestNetwork();
        using var pod = new TestNamespace("pmk");
        string id = Unique.ContainerId();
        using var chain = new ChainRunner(Conflist(net, p => p["masqAll"] = true), id, pod.Path, capabilityArgs: Mapping(RandomPort(), 80));
        ChainRunner.Outcome add = chain.Add();
        Assert.Equal(2, add.Failed!.Output.ErrorCode);
        Assert.Contains("masqAll", add.Failed.Output.ErrorMessage);
        Assert.DoesNotContain(id, NftState.Ruleset());
        Assert.Equal(50, chain.Status().Failed!.Output.ErrorCode);
        chain.Del(null).ShouldSucceed();
    }
}
