using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

/// <summary>An ipam.type other than ours is executed from CNI_PATH, exactly as the spec says.</summary>
[Collection(KernelCollection.Name)]
public class DelegatedIpamTests
{
    public DelegatedIpamTests() => CniPluginRunner.RequireBinary();

    [ReferencePluginFact]
    public void Bridge_WithReferenceHostLocal_AllocatesThroughIt_AndReleasesOnDel()
    {
        // Debian's reference plugins speak up to 1.0.0.
        using var net = new TestNetwork(cniVersion: "1.0.0");
        using var ns = new TestNamespace("deleg");
        string config = net.Config(ipamType: "host-local");
        string cniPath = $"{CniPluginRunner.BinDir}:{ReferencePluginFactAttribute.Dir}";
        string id = Unique.ContainerId();

        var add = CniPluginRunner.Run("cnisharp-bridge", "ADD", config, id, ns.Path, "eth0", cniPath: cniPath);
        Assert.True(add.ExitCode == 0, add.ToString());
        string address = BridgePluginTests.AddressOf(add.Json, v6: false);
        string ip = address.Split('/')[0];
        Assert.Contains(address, Shell.Addresses("eth0", ns.Name));
        Assert.Equal([ip], net.Reservations());
        Assert.Equal($"{id}\r\neth0", File.ReadAllText(Path.Combine(net.StoreDir, ip)));

        var del = CniPluginRunner.Run("cnisharp-bridge", "DEL", config, id, ns.Path, "eth0", cniPath: cniPath);
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Empty(net.Reservations());
    }

    [ReferencePluginFact]
    public void Bridge_WithReferenceHostLocal_PassesItsVersionErrorThrough_AndLeavesNothing()
    {
        using var net = new TestNetwork(cniVersion: "1.1.0");
        using var ns = new TestNamespace("delegv");
        string cniPath = $"{CniPluginRunner.BinDir}:{ReferencePluginFactAttribute.Dir}";
        var add = CniPluginRunner.Run("cnisharp-bridge", "ADD", net.Config(ipamType: "host-local"), Unique.ContainerId(), ns.Path, "eth0", cniPath: cniPath);

        Assert.Equal(1, add.ErrorCode);
        Assert.StartsWith("host-local:", add.ErrorMessage);
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Assert.False(Shell.LinkExists(net.Bridge));
    }

    [ReferencePluginFact]
    public void Bridge_WithMissingIpamPlugin_FailsNamingIt_AndLeavesNothing()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("nodeleg");
        var add = CniPluginRunner.Run("cnisharp-bridge", "ADD", net.Config(ipamType: "no-such-ipam"), Unique.ContainerId(), ns.Path, "eth0");

        Assert.NotEqual(0, add.ExitCode);
        Assert.Contains("no-such-ipam", add.ErrorMessage);
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Assert.False(Shell.LinkExists(net.Bridge));
    }
}
