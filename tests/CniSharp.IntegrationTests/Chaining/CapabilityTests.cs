using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// Capability args reach cnisharp-bridge as runtimeConfig only when its plugin object declares the capability
/// (the runtime filters, as libcni does); declared, they are applied; undeclared, the same args change nothing.
/// </summary>
[Collection(KernelCollection.Name)]
public class CapabilityTests
{
    public CapabilityTests() => CniPluginRunner.RequireBinary();

    [RootTheory]
    [InlineData("1.0.0", true)]
    [InlineData("1.0.0", false)]
    [InlineData("0.4.0", true)]
    public void Ips_AssignsTheRequestedAddress_OnlyWhenDeclared(string version, bool declared)
    {
        using var net = new TestNetwork(cniVersion: version);
        using var pod = new TestNamespace("capips");
        string wanted = $"10.231.{net.Octet}.77/24";
        JsonObject bridge = Conflist.Bridge(net);
        if (declared) bridge.Capabilities("ips");
        using var chain = new ChainRunner(Conflist.Of(net, bridge), Unique.ContainerId(), pod.Path,
            capabilityArgs: Conflist.Args(("ips", $"""["{wanted}"]""")));

        ChainRunner.Outcome add = chain.Add();
        Assert.True(add.Succeeded, add.ToString());
        string address = Assert.Single(Conflist.Addresses(add.Result));
        Assert.Equal(declared, add.Steps[0].Stdin["runtimeConfig"] is not null);
        if (declared)
            Assert.Equal(wanted, address);
        else
            Assert.NotEqual(wanted, address);
        Assert.Contains(address, Shell.Addresses("eth0", pod.Name));
        Assert.Equal([address.Split('/')[0]], net.Reservations());

        chain.Check(add.Result).ShouldSucceed();
        chain.Del(add.Result).ShouldSucceed();
        Assert.Empty(net.Reservations());
    }

    [RootTheory]
    [InlineData("1.0.0", true)]
    [InlineData("1.0.0", false)]
    [InlineData("0.4.0", true)]
    public void Mac_SetsTheContainerInterfaceMac_OnlyWhenDeclared(string version, bool declared)
    {
        using var net = new TestNetwork(cniVersion: version);
        using var pod = new TestNamespace("capmac");
        string wanted = Conflist.RandomMac();
        JsonObject bridge = Conflist.Bridge(net);
        if (declared) bridge.Capabilities("mac");
        using var chain = new ChainRunner(Conflist.Of(net, bridge), Unique.ContainerId(), pod.Path,
            capabilityArgs: Conflist.Args(("mac", $"\"{wanted}\"")));

        ChainRunner.Outcome add = chain.Add();
        Assert.True(add.Succeeded, add.ToString());
        string kernelMac = Shell.IpJson("-n", pod.Name, "link", "show", "eth0")[0].GetProperty("address").GetString()!;
        Assert.Equal(kernelMac, Conflist.SandboxInterface(add.Result).GetProperty("mac").GetString(), StringComparer.OrdinalIgnoreCase);
        if (declared)
            Assert.Equal(wanted, kernelMac, StringComparer.OrdinalIgnoreCase);
        else
            Assert.NotEqual(wanted, kernelMac, StringComparer.OrdinalIgnoreCase);

        chain.Check(add.Result).ShouldSucceed();
        chain.Del(add.Result).ShouldSucceed();
    }

    /// <summary>
    /// runtimeConfig.ipRanges is prepended to the configured ranges, as the reference host-local does (a range set
    /// more, so one address more); run against both IPAMs so "as host-local does" is measured, not assumed.
    /// </summary>
    [ReferencePluginTheory]
    [InlineData("cnisharp-host-local", true)]
    [InlineData("cnisharp-host-local", false)]
    [InlineData("host-local", true)]
    public void IpRanges_ArePrependedToTheConfiguredRanges_OnlyWhenDeclared(string ipamType, bool declared)
    {
        using var net = new TestNetwork(cniVersion: "1.0.0");
        using var pod = new TestNamespace("capranges");
        // A second /24 for this network only: 10.233.<octet>.0/24 (the test network owns 10.231.<octet>.0/24).
        string runtimeSubnet = $"10.233.{net.Octet}.0/24";
        JsonObject bridge = Conflist.Bridge(net, ipamType: ipamType);
        if (declared) bridge.Capabilities("ipRanges");
        using var chain = new ChainRunner(Conflist.Of(net, bridge), Unique.ContainerId(), pod.Path,
            capabilityArgs: Conflist.Args(("ipRanges", $$"""[[{"subnet": "{{runtimeSubnet}}"}]]""")));

        ChainRunner.Outcome add = chain.Add();
        Assert.True(add.Succeeded, add.ToString());
        List<string> addresses = Conflist.Addresses(add.Result);
        List<string> expected = declared
            ? [$"10.233.{net.Octet}.2/24", $"10.231.{net.Octet}.2/24"]
            : [$"10.231.{net.Octet}.2/24"];
        Assert.Equal(expected, addresses);
        foreach (string a in addresses) Assert.Contains(a, Shell.Addresses("eth0", pod.Name));

        chain.Check(add.Result).ShouldSucceed();
        chain.Del(add.Result).ShouldSucceed();
        Assert.Empty(net.Reservations());
    }
}
