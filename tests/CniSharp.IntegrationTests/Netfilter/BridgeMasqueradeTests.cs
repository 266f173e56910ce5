using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Chaining;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Netfilter;

/// <summary>
/// cnisharp-bridge with ipMasq, end to end: traffic between namespaces this test makes, and what
/// nft list ruleset shows after each verb.
/// </summary>
[Collection(KernelCollection.Name)]
public class BridgeMasqueradeTests
{
    public BridgeMasqueradeTests() => CniPluginRunner.RequireBinary();

    private static string Masquerading(TestNetwork net, params string[] exempt) => net.Config(c =>
    {
        c["isDefaultGateway"] = true;
        c["ipMasq"] = true;
        c["nonMasqueradeCIDRs"] = new JsonArray(exempt.Select(e => (JsonNode)e).ToArray());
    });

    [RootFact]
    public void PodToOutside_ArrivesFromTheHost_PodToPodKeepsItsSource_AndTheExemptionHolds()
    {
        using var net = new TestNetwork(dualStack: true);
        using var outside = new OutsideClient(net.Octet);
        using var exempt = new OutsideClient(Unique.SubnetOctet());
        string config = Masquerading(net, exempt.Subnet);
        using var pod1 = new BridgePod();
        using var pod2 = new BridgePod();
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
        using (var server = new TcpProbe(exempt.Netns, 7000))
            Assert.Equal($"{server.Token} {pod1.Address4}", TcpProbe.Fetch(pod1.Netns, exempt.ClientAddress, 7000));

        // One rule per family for the whole network; the pods are elements owned by their attachment.
        string ruleset = NftState.Ruleset();
        Assert.Single(ruleset.Split('\n'), l => l.Contains($"ip saddr @masq-pods4-{net.Name} ") && l.Contains("masquerade"));
        Assert.Single(ruleset.Split('\n'), l => l.Contains($"ip6 saddr @masq-pods6-{net.Name} ") && l.Contains("masquerade"));
        Assert.Equal(2, NftState.Owners(net.Name, ruleset).Count(o => o == $"{pod1.ContainerId}/eth0"));
        Assert.Contains(exempt.Subnet, ruleset);

        Assert.Equal(0, pod1.Del(config).ExitCode);
        Assert.Equal(0, pod2.Del(config).ExitCode);
        Assert.Empty(NftState.Owners(net.Name));
    }

    [RootFact]
    public void DelOfOnePod_LeavesTheOthersMasqueraded()
    {
        using var net = new TestNetwork();
        using var outside = new OutsideClient(net.Octet);
        string config = Masquerading(net);
        using var pod1 = new BridgePod();
        using var pod2 = new BridgePod();
        pod1.AddOrFail(config);
        pod2.AddOrFail(config);

        Assert.Equal(0, pod1.Del(config).ExitCode);
        using (var server = new TcpProbe(outside.Netns, 7000))
            Assert.Equal($"{server.Token} {outside.HostAddress}", TcpProbe.Fetch(pod2.Netns, outside.ClientAddress, 7000));
        Assert.Equal([$"{pod2.ContainerId}/eth0"], NftState.Owners(net.Name));
        Assert.Equal(0, pod2.Del(config).ExitCode);
    }

    [RootFact]
    public void DelWithEmptyNetns_LeavesNothingOfThePodInTheRuleset()
    {
        using var net = new TestNetwork(dualStack: true);
        string config = Masquerading(net);
        using var pod = new BridgePod();
        pod.AddOrFail(config);
        Assert.Contains(pod.Address4, NftState.Ruleset());

        // nerdctl and ctr send DEL with CNI_NETNS="": the reference then leaks its rules (plugins#810).
        var del = pod.Del(config, emptyNetns: true);
        Assert.True(del.ExitCode == 0, del.ToString());
        string ruleset = NftState.Ruleset();
        Assert.DoesNotContain(pod.ContainerId, ruleset);
        Assert.DoesNotContain(pod.Address4 + " ", ruleset);
        Assert.DoesNotContain(pod.Address6 + " ", ruleset);
        Assert.Equal(0, pod.Del(config, emptyNetns: true).ExitCode); // DEL is idempotent
    }

    [RootFact]
    public void Gc_RemovesTheElementsOfAttachmentsNotInTheValidList()
    {
        using var net = new TestNetwork();
        string config = Masquerading(net);
        using var kept = new BridgePod();
        using var lost = new BridgePod();
        kept.AddOrFail(config);
        lost.AddOrFail(config);

        JsonObject gc = JsonNode.Parse(config)!.AsObject();
        gc["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = kept.ContainerId, ["ifname"] = "eth0" });
        var run = CniPluginRunner.Run("cnisharp-bridge", "GC", gc.ToJsonString());
        Assert.True(run.ExitCode == 0, run.ToString());

        Assert.Equal([$"{kept.ContainerId}/eth0"], NftState.Owners(net.Name));
        Assert.Equal(0, kept.Del(config).ExitCode);
    }

    [RootFact]
    public void Status_IsReady_AndAnIptablesBackendIsRefusedByAddWithNothingMade()
    {
        using var net = new TestNetwork();
        var status = CniPluginRunner.Run("cnisharp-bridge", "STATUS", Masquerading(net));
        Assert.True(status.ExitCode == 0, status.ToString());

        string iptables = net.Config(c => { c["ipMasq"] = true; c["ipMasqBackend"] = "iptables"; });
        using var pod = new BridgePod();
        var add = pod.Add(iptables);
        Assert.Equal(2, add.ErrorCode);
        Assert.Contains("ipMasqBackend", add.ErrorMessage);
        Assert.Empty(net.Reservations());
        Assert.False(Shell.LinkExists(net.Bridge));
        Assert.Equal(50, CniPluginRunner.Run("cnisharp-bridge", "STATUS", iptables).ErrorCode);
    }

    [RootFact]
    public void Status_Is50_WhenTheKernelRefusesNfTables_HereForLackOfCapNetAdmin()
    {
        // In a fresh user namespace the plugin is root there, but not CAP_NET_ADMIN over the host's network
        // namespace: nfnetlink refuses every message with EPERM, as a kernel without nf_tables would refuse it.
        using var net = new TestNetwork();
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = "STATUS", ["CNI_PATH"] = CniPluginRunner.BinDir };
        foreach ((string feature, Action<JsonObject> edit) in (ReadOnlySpan<(string, Action<JsonObject>)>)
                 [("ipMasq", c => c["ipMasq"] = true), ("macspoofchk", c => c["macspoofchk"] = true)])
        {
            Shell.Output o = Shell.Run("unshare", ["--user", "--map-root-user", Path.Combine(CniPluginRunner.BinDir, "cnisharp-bridge")],
                env, net.Config(edit));
            var status = new CniPluginRunner.Invocation(o.ExitCode, o.Stdout, o.Stderr);
            Assert.True(status.ExitCode != 0, status.ToString());
            Assert.Equal(50, status.ErrorCode);
            Assert.Contains($"{feature} needs nf_tables, which this host refuses", status.ErrorMessage);
            Assert.Contains("EPERM", status.ErrorMessage);
        }
    }

    [RootFact]
    public void SpoofCheck_DropsAForgedSourceMac_PassesTheRealOne_UntilDel()
    {
        using var net = new TestNetwork();
        string config = net.Config(c => c["macspoofchk"] = true);
        using var pod1 = new BridgePod();
        using var pod2 = new BridgePod();
        pod1.AddOrFail(config);
        pod2.AddOrFail(config);
        Assert.True(Shell.Ping(pod1.Netns, pod2.Address4), "the real MAC must pass");

        Shell.Ip("-n", pod1.Netns, "link", "set", "eth0", "address", "02:de:ad:be:ef:01");
        Shell.Ip("-n", pod2.Netns, "neigh", "flush", "all");
        Assert.False(Shell.Ping(pod1.Netns, pod2.Address4), "a forged source MAC must be dropped at the bridge");
        Assert.Contains($"\"{pod1.HostVeth}\" . {pod1.Mac}", NftState.Ruleset());

        Shell.Ip("-n", pod1.Netns, "link", "set", "eth0", "address", pod1.Mac);
        Shell.Ip("-n", pod2.Netns, "neigh", "flush", "all");
        Assert.True(Shell.Ping(pod1.Netns, pod2.Address4), "the real MAC passes again");

        Assert.Equal(0, pod1.Del(config).ExitCode);
        Assert.DoesNotContain(pod1.HostVeth, NftState.Ruleset());
        Assert.Equal([$"{pod2.ContainerId}/eth0", $"{pod2.ContainerId}/eth0"], NftState.Owners(net.Name));
        Assert.Equal(0, pod2.Del(config).ExitCode);
    }
}
