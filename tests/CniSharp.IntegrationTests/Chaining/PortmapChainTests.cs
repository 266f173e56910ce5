using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>cnisharp-bridge followed by the reference portmap (capability portMappings), as conf/30-cnisharp-portmap.conflist.</summary>
[Collection(KernelCollection.Name)]
public class PortmapChainTests
{
    public PortmapChainTests() => CniPluginRunner.RequireBinary();

    [ReferencePluginTheory]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    public void HostPort_DnatsToThePod_PassesCheck_AndDelRemovesTheRules(string version)
    {
        using var net = new TestNetwork(dualStack: true, cniVersion: version);
        using var pod = new TestNamespace("pm");
        using var client = new OutsideClient(net.Octet);
        string id = Unique.ContainerId();
        int hostPort = Random.Shared.Next(20000, 30000);
        // Dual stack: the reference portmap's CHECK looks for the IPv6 chain even for an IPv4-only pod
        // (containernetworking/plugins#819), so a single-stack chain could never pass CHECK.
        using var rules = new PortmapRules(id);
        using var rules6 = new PortmapRules(id, v6: true);
        JsonObject conflist = Conflist.Of(net,
            Conflist.Bridge(net, b => b["isDefaultGateway"] = true),
            new JsonObject { ["type"] = "portmap" }.Capabilities("portMappings"));
        var mappings = Conflist.Args(("portMappings", $$"""[{"hostPort":{{hostPort}},"containerPort":8080,"protocol":"tcp"}]"""));
        using var chain = new ChainRunner(conflist, id, pod.Path, capabilityArgs: mappings);

        ChainRunner.Outcome add = chain.Add();
        Assert.True(add.Succeeded, add.ToString());
        Assert.Null(add.Steps[0].Stdin["runtimeConfig"]); // the bridge declares no capability
        Assert.Equal(hostPort, add.Steps[1].Stdin["runtimeConfig"]!["portMappings"]![0]!["hostPort"]!.GetValue<int>());

        // portmap passes our result through: same interfaces, addresses and routes, in the config's version.
        JsonElement ours = add.Steps[0].Output.Json, final = add.Result;
        Assert.Equal(version, final.GetProperty("cniVersion").GetString());
        foreach (string key in (string[])["interfaces", "ips", "routes"])
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ours.GetProperty(key).GetRawText()), JsonNode.Parse(final.GetProperty(key).GetRawText())),
                $"{key} changed by portmap: ours {ours.GetProperty(key)}, final {final.GetProperty(key)}");
        string podIp = Conflist.Addresses(final).Single(a => !a.Contains(':')).Split('/')[0];
        string podIp6 = Conflist.Addresses(final).Single(a => a.Contains(':')).Split('/')[0];

        // The rules, exactly: one tagged jump for this container into its own chain, which DNATs to the pod.
        string jump = Assert.Single(rules.DnatJumps());
        Assert.Contains($"-p tcp -m comment --comment \"dnat name: \\\"{net.Name}\\\" id: \\\"{id}\\\"\" -m multiport --dports {hostPort} -j CNI-DN-", jump);
        string dnChain = Assert.Single(rules.DnChains());
        Assert.Contains($"-A {dnChain} -p tcp -m tcp --dport {hostPort} -j DNAT --to-destination {podIp}:8080", rules.RulesOf(dnChain));
        string dnChain6 = Assert.Single(rules6.DnChains());
        Assert.Contains($"-A {dnChain6} -p tcp -m tcp --dport {hostPort} -j DNAT --to-destination [{podIp6}]:8080", rules6.RulesOf(dnChain6));

        // And they work: a client outside the pod network reaches the pod through the host port, unmasqueraded.
        using (var server = new TcpProbe(pod.Name, 8080))
        {
            Assert.Equal($"{server.Token} {client.ClientAddress}", TcpProbe.Fetch(client.Netns, client.HostAddress, hostPort));
            Assert.Null(TcpProbe.Fetch(client.Netns, client.HostAddress, hostPort == 29999 ? hostPort - 1 : hostPort + 1));
        }

        // Our CHECK on the final result passes. Debian's portmap 1.1.1 cannot pass its own CHECK: it looks for IPv6
        // rules for an IPv4-only pod (containernetworking/plugins#819) and, dual stack, for the IPv4 rules in the
        // IPv6 chain. A fixed portmap must pass; the broken one may fail only that way.
        ChainRunner.Outcome check = chain.Check(final);
        Assert.True(check.Steps[0].Succeeded, check.ToString());
        Assert.Equal("portmap", check.Steps[^1].Type);
        if (!check.Succeeded)
            Assert.StartsWith("could not check ipv6 dnat: rule [[", check.Steps[^1].Output.ErrorMessage);

        string hostVeth = final.GetProperty("interfaces")[1].GetProperty("name").GetString()!;
        ChainRunner.Outcome del = chain.Del(final);
        Assert.True(del.Succeeded, del.ToString());
        Assert.Equal(["portmap", "cnisharp-bridge"], del.Steps.Select(s => s.Type));
        Assert.Empty(rules.DnatJumps());
        Assert.Empty(rules6.DnatJumps());
        Assert.False(rules.ChainExists(dnChain), $"{dnChain} left behind:\n{rules.NatRules()}");
        Assert.False(rules6.ChainExists(dnChain6), $"{dnChain6} left behind:\n{rules6.NatRules()}");
        Assert.False(Shell.LinkExists(hostVeth));
        Assert.Empty(net.Reservations());
    }
}
