using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

[Collection(KernelCollection.Name)]
public class BridgePluginTests
{
    private const string Bridge = "cnisharp-bridge";

    public BridgePluginTests() => CniPluginRunner.RequireBinary();

    [RootTheory]
    [InlineData("1.1.0")]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    public void TwoPods_OnOneBridge_PingEachOther_OverIPv4AndIPv6(string version)
    {
        using var net = new TestNetwork(dualStack: true, cniVersion: version);
        using var ns1 = new TestNamespace("pod1");
        using var ns2 = new TestNamespace("pod2");
        string id1 = Unique.ContainerId(), id2 = Unique.ContainerId();
        string config = net.Config();

        var add1 = CniPluginRunner.Run(Bridge, "ADD", config, id1, ns1.Path, "eth0");
        var add2 = CniPluginRunner.Run(Bridge, "ADD", config, id2, ns2.Path, "eth0");
        Assert.True(add1.ExitCode == 0, add1.ToString());
        Assert.True(add2.ExitCode == 0, add2.ToString());

        JsonElement r1 = add1.Json, r2 = add2.Json;
        Assert.Equal(version, r1.GetProperty("cniVersion").GetString());
        JsonElement interfaces = r1.GetProperty("interfaces");
        Assert.Equal(3, interfaces.GetArrayLength());
        Assert.Equal(net.Bridge, interfaces[0].GetProperty("name").GetString());
        Assert.Equal("eth0", interfaces[2].GetProperty("name").GetString());
        Assert.Equal(ns1.Path, interfaces[2].GetProperty("sandbox").GetString());
        string hostVeth1 = interfaces[1].GetProperty("name").GetString()!;
        Assert.StartsWith("cns", hostVeth1);

        string v4a = AddressOf(r1, v6: false), v4b = AddressOf(r2, v6: false);
        string v6a = AddressOf(r1, v6: true), v6b = AddressOf(r2, v6: true);
        foreach (JsonElement ip in r1.GetProperty("ips").EnumerateArray())
        {
            Assert.Equal(2, ip.GetProperty("interface").GetInt32());
            Assert.Equal(version == "0.4.0", ip.TryGetProperty("version", out _));
        }
        Assert.Equal(net.Gateway4, GatewayOf(r1, v6: false));

        // The kernel agrees with the result.
        Assert.Contains(v4a, Shell.Addresses("eth0", ns1.Name));
        Assert.Contains(v6a, Shell.Addresses("eth0", ns1.Name));
        Assert.Contains($"{net.Gateway4}/24", Shell.Addresses(net.Bridge));
        Assert.Contains($"{net.Gateway6}/64", Shell.Addresses(net.Bridge));
        JsonElement port = Shell.IpJson("-d", "link", "show", hostVeth1)[0];
        Assert.Equal(net.Bridge, port.GetProperty("master").GetString());

        Assert.True(Shell.Ping(ns1.Name, v4b.Split('/')[0]), "IPv4 ping pod1 -> pod2");
        Assert.True(Shell.Ping(ns2.Name, v6a.Split('/')[0]), "IPv6 ping pod2 -> pod1");

        var del1 = CniPluginRunner.Run(Bridge, "DEL", TestNetwork.WithPrevResult(config, r1), id1, ns1.Path, "eth0");
        var del2 = CniPluginRunner.Run(Bridge, "DEL", TestNetwork.WithPrevResult(config, r2), id2, ns2.Path, "eth0");
        Assert.True(del1.ExitCode == 0, del1.ToString());
        Assert.True(del2.ExitCode == 0, del2.ToString());
        Assert.False(Shell.LinkExists(hostVeth1));
        Assert.False(Shell.LinkExists("eth0", ns1.Name));
        Assert.Empty(net.Reservations());
    }

    [RootFact]
    public void Check_PassesAfterAdd_AndNamesARemovedAddress()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("check");
        string id = Unique.ContainerId();
        string config = net.Config();
        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0");
        Assert.True(add.ExitCode == 0, add.ToString());
        string withPrev = TestNetwork.WithPrevResult(config, add.Json);

        var check = CniPluginRunner.Run(Bridge, "CHECK", withPrev, id, ns.Path, "eth0");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal("", check.Stdout);

        string address = AddressOf(add.Json, v6: false);
        Shell.Ip("-n", ns.Name, "addr", "del", address, "dev", "eth0");
        var broken = CniPluginRunner.Run(Bridge, "CHECK", withPrev, id, ns.Path, "eth0");
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains(address, broken.ErrorMessage);

        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", withPrev, id, ns.Path, "eth0").ExitCode);
    }

    [RootFact]
    public void Del_Twice_AndWithoutNetns_Succeeds_AndLeavesNothing()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("del");
        string id = Unique.ContainerId();
        string config = net.Config();
        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0");
        Assert.True(add.ExitCode == 0, add.ToString());
        string hostVeth = add.Json.GetProperty("interfaces")[1].GetProperty("name").GetString()!;

        // nerdctl and ctr send an empty CNI_NETNS on DEL: the derived host name still finds the veth.
        var del1 = CniPluginRunner.Run(Bridge, "DEL", config, id, "", "eth0");
        var del2 = CniPluginRunner.Run(Bridge, "DEL", config, id, ns.Path, "eth0");
        var del3 = CniPluginRunner.Run(Bridge, "DEL", config, id, "/var/run/netns/cnisharp-gone-" + Unique.Hex(6), "eth0");
        Assert.True(del1.ExitCode == 0, del1.ToString());
        Assert.True(del2.ExitCode == 0, del2.ToString());
        Assert.True(del3.ExitCode == 0, del3.ToString());
        Assert.False(Shell.LinkExists(hostVeth));
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Assert.Empty(net.Reservations());
    }

    [RootFact]
    public void Add_FailingAfterVethAndIpam_RollsBackEverything()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("rollback");
        // The bridge already carries another network's gateway: the gateway step fails after the veth
        // and the IPAM reservation exist, so both must be undone.
        Shell.Ip("link", "add", net.Bridge, "type", "bridge");
        Shell.Ip("addr", "add", "192.0.2.77/24", "dev", net.Bridge);
        string id = Unique.ContainerId();

        var add = CniPluginRunner.Run(Bridge, "ADD", net.Config(), id, ns.Path, "eth0");

        Assert.NotEqual(0, add.ExitCode);
        Assert.Equal(7, add.ErrorCode);
        Assert.Contains("192.0.2.77/24", add.ErrorMessage);
        Assert.Contains("forceAddress", add.ErrorMessage);
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Assert.Empty(Shell.IpJson("link", "show", "master", net.Bridge).EnumerateArray());
        Assert.Empty(net.Reservations());
        Assert.Equal(["192.0.2.77/24"], Shell.Addresses(net.Bridge).Where(a => !a.StartsWith("fe80")).ToList());
    }

    [RootFact]
    public void Add_FailingInIpam_RemovesTheBridgeItCreated()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("ipamfail");
        // The requested address is outside every range: IPAM fails after the bridge and veth were made.
        var add = CniPluginRunner.Run(Bridge, "ADD", net.Config(), Unique.ContainerId(), ns.Path, "eth0",
            cniArgs: "IgnoreUnknown=1;IP=198.51.100.9");

        Assert.NotEqual(0, add.ExitCode);
        Assert.Contains("198.51.100.9", add.ErrorMessage);
        Assert.False(Shell.LinkExists(net.Bridge));
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Assert.Empty(net.Reservations());
    }

    [RootFact]
    public void Add_ForceAddress_ReplacesAStaleGateway()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("force");
        Shell.Ip("link", "add", net.Bridge, "type", "bridge");
        Shell.Ip("addr", "add", "192.0.2.78/24", "dev", net.Bridge);
        string id = Unique.ContainerId();
        string config = net.Config(c => c["forceAddress"] = true);

        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0");

        Assert.True(add.ExitCode == 0, add.ToString());
        List<string> addresses = Shell.Addresses(net.Bridge);
        Assert.Contains($"{net.Gateway4}/24", addresses);
        Assert.DoesNotContain("192.0.2.78/24", addresses);
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, id, ns.Path, "eth0").ExitCode);
    }

    [RootFact]
    public void Add_RequestedIp_IsUsed_AndRoundRobinMovesOn()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("rr");
        string config = net.Config();
        string requested = $"10.231.{net.Octet}.50";
        string id = Unique.ContainerId();

        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0", cniArgs: $"IgnoreUnknown=1;IP={requested}");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal($"{requested}/24", AddressOf(add.Json, v6: false));
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, id, ns.Path, "eth0").ExitCode);

        // Round-robin continues after the last reservation instead of handing the same address back.
        string id2 = Unique.ContainerId();
        var next = CniPluginRunner.Run(Bridge, "ADD", config, id2, ns.Path, "eth0");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal($"10.231.{net.Octet}.51/24", AddressOf(next.Json, v6: false));
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, id2, ns.Path, "eth0").ExitCode);
    }

    [RootFact]
    public void Add_ExhaustedRange_FailsClearly_AndRollsBack()
    {
        using var net = new TestNetwork();
        using var ns1 = new TestNamespace("full1");
        using var ns2 = new TestNamespace("full2");
        // A /30 has two usable addresses, one of which is the gateway: room for exactly one pod.
        string config = net.Config(c => c["ipam"]!["ranges"] = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = $"10.232.{net.Octet}.0/30" } } });
        string id1 = Unique.ContainerId();
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "ADD", config, id1, ns1.Path, "eth0").ExitCode);

        var full = CniPluginRunner.Run(Bridge, "ADD", config, Unique.ContainerId(), ns2.Path, "eth0");
        Assert.NotEqual(0, full.ExitCode);
        Assert.Contains("no IP addresses available", full.ErrorMessage);
        Assert.False(Shell.LinkExists("eth0", ns2.Name));
        Assert.Single(net.Reservations());
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, id1, ns1.Path, "eth0").ExitCode);
    }

    [RootFact]
    public void Add_SecondTimeForTheSamePod_FailsWithoutTouchingTheFirst()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("twice");
        string id = Unique.ContainerId();
        string config = net.Config();
        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0");
        Assert.True(add.ExitCode == 0, add.ToString());

        var again = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists", again.ErrorMessage);
        Assert.True(Shell.LinkExists("eth0", ns.Name));
        Assert.Single(net.Reservations());
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, id, ns.Path, "eth0").ExitCode);
    }

    [RootFact]
    public void Add_WithVlan_FailsWithCode2_AndCreatesNothing()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("vlan");
        var add = CniPluginRunner.Run(Bridge, "ADD", net.Config(c => c["vlan"] = 100), Unique.ContainerId(), ns.Path, "eth0");

        Assert.Equal(2, add.ErrorCode);
        Assert.Contains("vlan", add.ErrorMessage);
        Assert.False(Shell.LinkExists(net.Bridge));
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Assert.Empty(net.Reservations());
    }

    [RootFact]
    public void Add_L2Only_BringsTheInterfaceUpWithoutAddresses()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("l2");
        string config = net.Config(c => { c["ipam"] = new JsonObject(); c["isGateway"] = false; });
        string id = Unique.ContainerId();
        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal(0, add.Json.TryGetProperty("ips", out JsonElement ips) ? ips.GetArrayLength() : 0);
        JsonElement link = Shell.IpJson("-n", ns.Name, "link", "show", "eth0")[0];
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, id, ns.Path, "eth0").ExitCode);
    }

    [RootFact]
    public void Add_AppliesMtuMacHairpinAndDefaultRoute()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("opts");
        string config = net.Config(c => { c["mtu"] = 1400; c["hairpinMode"] = true; c["isDefaultGateway"] = true; });
        string id = Unique.ContainerId();
        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0", cniArgs: "IgnoreUnknown=1;MAC=02:42:ac:11:00:09");
        Assert.True(add.ExitCode == 0, add.ToString());

        JsonElement eth0 = Shell.IpJson("-n", ns.Name, "link", "show", "eth0")[0];
        Assert.Equal(1400, eth0.GetProperty("mtu").GetInt32());
        Assert.Equal("02:42:ac:11:00:09", eth0.GetProperty("address").GetString());
        string hostVeth = add.Json.GetProperty("interfaces")[1].GetProperty("name").GetString()!;
        JsonElement port = Shell.IpJson("-d", "link", "show", hostVeth)[0];
        Assert.True(port.GetProperty("linkinfo").GetProperty("info_slave_data").GetProperty("hairpin").GetBoolean());
        JsonElement routes = Shell.IpJson("-n", ns.Name, "route", "show", "default");
        Assert.Equal(net.Gateway4, routes[0].GetProperty("gateway").GetString());
        Assert.Contains(add.Json.GetProperty("routes").EnumerateArray(), r => r.GetProperty("dst").GetString() == "0.0.0.0/0");
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, id, ns.Path, "eth0").ExitCode);
    }

    [RootFact]
    public void Add_WithLegacyVersion_PrintsTheOldResultShape()
    {
        using var net = new TestNetwork(cniVersion: "0.2.0");
        using var ns = new TestNamespace("legacy");
        string id = Unique.ContainerId();
        string config = net.Config();
        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("0.2.0", add.Json.GetProperty("cniVersion").GetString());
        Assert.StartsWith($"10.231.{net.Octet}.", add.Json.GetProperty("ip4").GetProperty("ip").GetString());
        Assert.False(add.Json.TryGetProperty("interfaces", out _));
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, id, ns.Path, "eth0").ExitCode);
    }

    [RootFact]
    public void Add_NetnsThatDoesNotExist_IsCode3_AndCreatesNothing()
    {
        using var net = new TestNetwork();
        var add = CniPluginRunner.Run(Bridge, "ADD", net.Config(), Unique.ContainerId(), "/var/run/netns/cnisharp-none-" + Unique.Hex(6), "eth0");
        Assert.Equal(3, add.ErrorCode);
        Assert.False(Shell.LinkExists(net.Bridge));
        Assert.Empty(net.Reservations());
    }

    [RootFact]
    public void Add_WithANetnsPathThatIsNotANamespace_IsCode4()
    {
        using var net = new TestNetwork();
        var add = CniPluginRunner.Run(Bridge, "ADD", net.Config(), Unique.ContainerId(), "/etc/hostname", "eth0");
        Assert.Equal(4, add.ErrorCode);
        Assert.Contains("not a network namespace", add.ErrorMessage);
        Assert.False(Shell.LinkExists(net.Bridge));
    }

    [RootFact]
    public void Add_IntoTheHostNamespace_IsRefusedWithCode8()
    {
        using var net = new TestNetwork();
        var add = CniPluginRunner.Run(Bridge, "ADD", net.Config(), Unique.ContainerId(), "/proc/self/ns/net", "eth9");
        Assert.Equal(8, add.ErrorCode);
        Assert.Empty(net.Reservations());
    }

    internal static string AddressOf(JsonElement result, bool v6) =>
        result.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!)
            .First(a => a.Contains(':') == v6);

    internal static string? GatewayOf(JsonElement result, bool v6) =>
        result.GetProperty("ips").EnumerateArray().First(ip => ip.GetProperty("address").GetString()!.Contains(':') == v6)
            .GetProperty("gateway").GetString();
}
