using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

/// <summary>
/// cnisharp-ptp against the built binary, run inside a node namespace the test made: routed pods in their own
/// namespaces, traffic only between those namespaces, and kernel state read back with ip(8).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class PtpPluginTests : IDisposable
{
    private const string Ptp = "cnisharp-ptp";

    private readonly NodeNamespace _node = new();
    private readonly List<TestNamespace> _pods = [];

    public PtpPluginTests() => CniPluginRunner.RequireBinary();

    public void Dispose()
    {
        foreach (TestNamespace ns in _pods) ns.Dispose();
        _node.Dispose();
    }

    private sealed record Pod(string Id, TestNamespace Ns, JsonElement Result)
    {
        public string HostVeth => Result.GetProperty("interfaces")[0].GetProperty("name").GetString()!;
        public string HostVethMac => Result.GetProperty("interfaces")[0].GetProperty("mac").GetString()!;

        public string Address(bool v6 = false) =>
            Result.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!).First(a => a.Contains(':') == v6);

        public string Ip(bool v6 = false) => Address(v6).Split('/')[0];
    }

    private CniPluginRunner.Invocation Run(string command, string config, string id = "", string? netns = null) =>
        CniPluginRunner.Run(Ptp, command, config, id, netns, id.Length == 0 ? "" : "eth0", hostNetns: _node.Name);

    private TestNamespace NewPodNamespace(string purpose)
    {
        var ns = new TestNamespace(purpose);
        _pods.Add(ns);
        return ns;
    }

    private Pod AddPod(string config, string purpose)
    {
        TestNamespace ns = NewPodNamespace(purpose);
        string id = Unique.ContainerId();
        var add = Run("ADD", config, id, ns.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
        return new Pod(id, ns, add.Json);
    }

    private CniPluginRunner.Invocation Del(string config, Pod pod, string? netns = null) =>
        Run("DEL", TestNetwork.WithPrevResult(config, pod.Result), pod.Id, netns ?? pod.Ns.Path);

    private CniPluginRunner.Invocation Check(string config, Pod pod) =>
        Run("CHECK", TestNetwork.WithPrevResult(config, pod.Result), pod.Id, pod.Ns.Path);

    private static string GcConfig(string config, params Pod[] valid)
    {
        JsonObject conf = JsonNode.Parse(config)!.AsObject();
        conf["cniVersion"] = "1.1.0";
        conf["cni.dev/valid-attachments"] = new JsonArray(valid.Select(p => (JsonNode)new JsonObject { ["containerID"] = p.Id, ["ifname"] = "eth0" }).ToArray());
        return conf.ToJsonString();
    }

    /// <summary>Nothing of the network is left on the node: no host veth, no pod route, no reservation, no record.</summary>
    private void AssertNothingLeft(TestNetwork net)
    {
        Assert.DoesNotContain(_node.Links(), l => l.StartsWith("cns", StringComparison.Ordinal));
        Assert.Empty(_node.PodRoutes());
        Assert.Empty(net.Reservations());
        Assert.Empty(net.AttachmentRecords());
    }

    [RootTheory]
    [InlineData(false, "1.1.0")]
    [InlineData(true, "1.1.0")]
    [InlineData(true, "1.0.0")]
    [InlineData(false, "0.4.0")]
    public void TwoPods_ReachEachOtherAndTheNode_ThroughTheLinkLocalGateway(bool dualStack, string version)
    {
        using var net = new TestNetwork(dualStack, version);
        string config = net.PtpConfig();
        Pod a = AddPod(config, "ptpa");
        Pod b = AddPod(config, "ptpb");

        // The result: [host veth, container veth], every address alone on its link behind the link-local gateway.
        JsonElement r = a.Result;
        Assert.Equal(version, r.GetProperty("cniVersion").GetString());
        JsonElement interfaces = r.GetProperty("interfaces");
        Assert.Equal(2, interfaces.GetArrayLength());
        Assert.StartsWith("cns", a.HostVeth);
        Assert.Equal("eth0", interfaces[1].GetProperty("name").GetString());
        Assert.Equal(a.Ns.Path, interfaces[1].GetProperty("sandbox").GetString());
        Assert.Equal(dualStack ? 2 : 1, r.GetProperty("ips").GetArrayLength());
        foreach (JsonElement ip in r.GetProperty("ips").EnumerateArray())
        {
            string address = ip.GetProperty("address").GetString()!;
            Assert.Equal(1, ip.GetProperty("interface").GetInt32());
            Assert.EndsWith(address.Contains(':') ? "/128" : "/32", address);
            Assert.Equal(address.Contains(':') ? "fe80::1" : "169.254.1.1", ip.GetProperty("gateway").GetString());
        }
        Assert.StartsWith($"10.231.{net.Octet}.", a.Address());

        // The kernel agrees: the pod's addresses, its gateway entry pointing at the host veth, its routes; the node's routes.
        Assert.Contains(a.Address(), Shell.Addresses("eth0", a.Ns.Name));
        JsonElement neighbour = Shell.IpJson("-n", a.Ns.Name, "-4", "neigh", "show", "dev", "eth0").EnumerateArray()
            .Single(n => n.GetProperty("dst").GetString() == "169.254.1.1");
        Assert.Equal(a.HostVethMac, neighbour.GetProperty("lladdr").GetString());
        Assert.Contains("PERMANENT", neighbour.GetProperty("state").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains(Shell.IpJson("-n", a.Ns.Name, "-4", "route", "show").EnumerateArray(),
            route => route.GetProperty("dst").GetString() == "default" && route.GetProperty("gateway").GetString() == "169.254.1.1");
        Assert.Contains($"{a.Address()} {a.HostVeth}", _node.PodRoutes());
        Assert.Contains($"{b.Address()} {b.HostVeth}", _node.PodRoutes());
        Assert.Empty(Shell.Addresses(a.HostVeth, _node.Name).Where(x => !x.StartsWith("fe80", StringComparison.Ordinal)));
        Assert.Equal("1", _node.Sysctl("net.ipv4.ip_forward"));

        Assert.True(Shell.Ping(a.Ns.Name, b.Ip()), "IPv4 pod a -> pod b");
        Assert.True(Shell.Ping(b.Ns.Name, a.Ip()), "IPv4 pod b -> pod a");
        Assert.True(Shell.Ping(a.Ns.Name, NodeNamespace.Address4), "IPv4 pod a -> node");
        Assert.True(Shell.Ping(_node.Name, b.Ip()), "IPv4 node -> pod b");
        if (dualStack)
        {
            Assert.Equal("1", _node.Sysctl("net.ipv6.conf.all.forwarding"));
            Assert.Equal(a.HostVethMac, Shell.IpJson("-n", a.Ns.Name, "-6", "neigh", "show", "dev", "eth0").EnumerateArray()
                .Single(n => n.GetProperty("dst").GetString() == "fe80::1").GetProperty("lladdr").GetString());
            Assert.True(Shell.Ping(a.Ns.Name, b.Ip(v6: true)), "IPv6 pod a -> pod b");
            Assert.True(Shell.Ping(b.Ns.Name, NodeNamespace.Address6), "IPv6 pod b -> node");
            Assert.True(Shell.Ping(_node.Name, a.Ip(v6: true)), "IPv6 node -> pod a");
        }

        Assert.True(Check(config, a).ExitCode == 0, Check(config, a).ToString());
        Assert.True(Del(config, a).ExitCode == 0);
        Assert.True(Del(config, b).ExitCode == 0);
        Assert.False(Shell.LinkExists("eth0", a.Ns.Name));
        AssertNothingLeft(net);
    }

    [RootFact]
    public void Check_Passes_ThenNamesEachPieceThatBreaks()
    {
        using var net = new TestNetwork(dualStack: true);
        string config = net.PtpConfig();
        Pod pod = AddPod(config, "ptpchk");
        var ok = Check(config, pod);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("", ok.Stdout);

        Shell.Ip("-n", pod.Ns.Name, "neigh", "del", "169.254.1.1", "dev", "eth0");
        Shell.Ip("-n", _node.Name, "route", "del", pod.Address(), "dev", pod.HostVeth);
        Shell.Ip("-n", pod.Ns.Name, "-6", "route", "del", "default");
        var broken = Check(config, pod);
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("169.254.1.1 has no permanent neighbour entry", broken.ErrorMessage);
        Assert.Contains($"host route to {pod.Address()}", broken.ErrorMessage);
        Assert.Contains("route to ::/0 via fe80::1 is missing", broken.ErrorMessage);

        _node.SetSysctl("net.ipv4.ip_forward", "0");
        Assert.Contains("net.ipv4.ip_forward is off", Check(config, pod).ErrorMessage);
        Assert.Equal(0, Del(config, pod).ExitCode);
    }

    [RootFact]
    public void Del_WithoutTheNetns_Twice_AndWithAVanishedOne_LeavesNothing()
    {
        using var net = new TestNetwork(dualStack: true);
        string config = net.PtpConfig();
        Pod pod = AddPod(config, "ptpdel");
        Pod other = AddPod(config, "ptpdel");

        // nerdctl and ctr send an empty CNI_NETNS on DEL: the derived host name still finds the veth.
        var empty = Run("DEL", config, pod.Id, "");
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.False(_node.LinkExists(pod.HostVeth));
        Assert.False(Shell.LinkExists("eth0", pod.Ns.Name));
        Assert.DoesNotContain(_node.PodRoutes(), r => r.Contains(pod.HostVeth, StringComparison.Ordinal));
        Assert.Equal(0, Run("DEL", config, pod.Id, pod.Ns.Path).ExitCode);
        Assert.Equal(0, Run("DEL", config, pod.Id, "/var/run/netns/cnisharp-gone-" + Unique.Hex(6)).ExitCode);

        // The other pod is untouched.
        Assert.Equal([$"{other.Id}-eth0.json"], net.AttachmentRecords());
        Assert.Equal(2, net.Reservations().Count);
        Assert.True(Check(config, other).ExitCode == 0);
        Assert.Equal(0, Del(config, other, netns: "").ExitCode);
        AssertNothingLeft(net);
    }

    [RootFact]
    public void Gc_ReleasesExactlyTheUnlistedAttachments()
    {
        using var net = new TestNetwork();
        string config = net.PtpConfig();
        Pod keep = AddPod(config, "ptpgck");
        Pod gone = AddPod(config, "ptpgcg");

        var gc = Run("GC", GcConfig(config, keep));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.False(_node.LinkExists(gone.HostVeth));
        Assert.False(Shell.LinkExists("eth0", gone.Ns.Name));
        Assert.Equal([$"{keep.Address()} {keep.HostVeth}"], _node.PodRoutes());
        Assert.Equal([keep.Ip()], net.Reservations());
        Assert.Equal([$"{keep.Id}-eth0.json"], net.AttachmentRecords());
        Assert.True(Check(config, keep).ExitCode == 0);
        Assert.True(Shell.Ping(keep.Ns.Name, NodeNamespace.Address4));

        Assert.Equal(0, Run("GC", GcConfig(config)).ExitCode);
        AssertNothingLeft(net);
    }

    [RootFact]
    public void CnisharpGc_OnTheNode_ReleasesPodsWhoseNetnsIsGone()
    {
        using var net = new TestNetwork();
        string confDir = Unique.TempDir("confdir");
        try
        {
            File.WriteAllText(Path.Combine(confDir, "40-ptp.conflist"), $$"""
                {"cniVersion": "1.0.0", "name": "{{net.Name}}", "plugins": [{{net.PtpConfig(c => { c.Remove("cniVersion"); c.Remove("name"); })}}]}
                """);
            string config = net.PtpConfig();
            Pod dead = AddPod(config, "ptpgcd");
            Pod alive = AddPod(config, "ptpgca");
            dead.Ns.Dispose();
            for (int i = 0; i < 100 && _node.LinkExists(dead.HostVeth); i++) Thread.Sleep(50);

            Shell.Output gc = Shell.Run("ip", ["netns", "exec", _node.Name, Path.Combine(CniPluginRunner.BinDir, "cnisharp"), "gc", "--conf-dir", confDir]);
            Assert.True(gc.ExitCode == 0, gc.ToString());
            Assert.Contains($"released {net.Name}/{dead.Id}/eth0", gc.Stdout);
            Assert.Equal([alive.Ip()], net.Reservations());
            Assert.Equal([$"{alive.Id}-eth0.json"], net.AttachmentRecords());
        }
        finally
        {
            Directory.Delete(confDir, recursive: true);
        }
    }

    [RootFact]
    public void Add_FailingAtTheLastStep_RollsBackVethReservationAndRecord()
    {
        using var net = new TestNetwork();
        string config = net.PtpConfig();
        // The node already routes the address the pod will get (host-local hands out .2 first): the host route
        // fails after the veth, the reservation and the whole container side exist.
        string taken = $"10.231.{net.Octet}.2";
        Shell.Ip("-n", _node.Name, "route", "add", $"{taken}/32", "dev", "lo");
        TestNamespace ns = NewPodNamespace("ptprb");

        var add = Run("ADD", config, Unique.ContainerId(), ns.Path);

        Assert.Equal(999, add.ErrorCode);
        Assert.Contains($"already has a route to {taken}/32", add.ErrorMessage);
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Shell.Ip("-n", _node.Name, "route", "del", $"{taken}/32", "dev", "lo");
        AssertNothingLeft(net);
    }

    [RootFact]
    public void Add_WithAnIpamRouteViaAnotherGateway_IsRefusedAndUndone()
    {
        using var net = new TestNetwork();
        string config = net.PtpConfig(c => c["ipam"]!["routes"] = JsonNode.Parse($$"""[{"dst": "0.0.0.0/0", "gw": "10.231.{{net.Octet}}.1"}]"""));
        var add = Run("ADD", config, Unique.ContainerId(), NewPodNamespace("ptpgw").Path);
        Assert.Equal(7, add.ErrorCode);
        Assert.Contains("169.254.1.1", add.ErrorMessage);
        AssertNothingLeft(net);
    }

    [RootFact]
    public void Status_IsReady_51WhenForwardingIsOffUnderAttachedPods_50ForIpMasq()
    {
        using var net = new TestNetwork();
        string config = net.PtpConfig();
        var ready = Run("STATUS", config);
        Assert.True(ready.ExitCode == 0, ready.ToString());

        Pod pod = AddPod(config, "ptpst");
        _node.SetSysctl("net.ipv4.ip_forward", "0");
        var limited = Run("STATUS", config);
        Assert.Equal(51, limited.ErrorCode);
        Assert.Contains("net.ipv4.ip_forward", limited.ErrorMessage);
        Assert.Contains("1 attachment", limited.ErrorMessage);

        Assert.Equal(50, Run("STATUS", net.PtpConfig(c => c["ipMasq"] = true)).ErrorCode);
        var refused = Run("ADD", net.PtpConfig(c => c["ipMasq"] = true), Unique.ContainerId(), NewPodNamespace("ptpmasq").Path);
        Assert.Equal(2, refused.ErrorCode);
        Assert.Equal(0, Del(config, pod).ExitCode);
        Assert.Equal(0, Run("STATUS", config).ExitCode);
    }
}
