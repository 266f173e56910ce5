using System.Net;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Ipam.HostLocal;
using CniSharp.Plugins;
using CniSharp.Plugins.HostLocal;
using CniSharp.Tests.Ipam;

namespace CniSharp.Tests.Plugins;

public sealed class HostLocalPluginTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private PluginRequest Request(CniCommand command, string subnet = "10.1.2.0/29", string? extra = null, string? dataDir = null,
        string containerId = "", string ifName = "")
    {
        string json = $$"""
            {"cniVersion":"1.1.0","name":"net","type":"bridge",
             "ipam":{"type":"cnisharp-host-local","dataDir":{{JsonSerializer.Serialize(dataDir ?? _tmp.Path)}},
                     "ranges":[[{"subnet":"{{subnet}}"}]]}{{extra}}}
            """;
        JsonElement config = JsonDocument.Parse(json).RootElement.Clone();
        var conf = new NetConf { CniVersion = "1.1.0", Name = "net", Type = "bridge", Ipam = config.GetProperty("ipam") };
        return new PluginRequest(new CniArgs { Command = command, ContainerId = containerId, IfName = ifName }, config, conf);
    }

    private static readonly HostLocalPlugin Plugin = new();

    private string NetDir => _tmp.Combine("net");

    private void Reserve(string address, string owner)
    {
        Directory.CreateDirectory(NetDir);
        File.WriteAllText(Path.Join(NetDir, address), owner);
    }

    [Fact]
    public void Type_IsTheBinaryName() => Assert.Equal("cnisharp-host-local", Plugin.Type);

    [Fact]
    public void AddCheckDel_RoundTripOnDisk()
    {
        CniResult result = Plugin.Add(Request(CniCommand.Add, containerId: "c1", ifName: "eth0"));
        Assert.Equal("10.1.2.2/29", Assert.Single(result.Ips).Address.ToString());
        Plugin.Check(Request(CniCommand.Check, containerId: "c1", ifName: "eth0"));
        Plugin.Del(Request(CniCommand.Del, containerId: "c1", ifName: "eth0"));
        Assert.Throws<CniException>(() => Plugin.Check(Request(CniCommand.Check, containerId: "c1", ifName: "eth0")));
        Plugin.Del(Request(CniCommand.Del, containerId: "c1", ifName: "eth0"));
    }

    [Fact]
    public void Status_WithFreeAddresses_Succeeds()
    {
        Reserve("10.1.2.2", "a\r\neth0");
        Plugin.Status(Request(CniCommand.Status));
    }

    [Fact]
    public void Status_ExhaustedRangeSet_IsCode50()
    {
        foreach (int host in new[] { 2, 3, 4, 5, 6 }) Reserve($"10.1.2.{host}", $"c{host}\r\neth0");
        var ex = Assert.Throws<CniException>(() => Plugin.Status(Request(CniCommand.Status)));
        Assert.Equal(CniErrorCode.NotAvailable, ex.Code);
        Assert.Contains("range set 0 (10.1.2.1-10.1.2.6)", ex.Message);
    }

    [Fact]
    public void Status_UnusableDataDir_IsCode50()
    {
        string file = _tmp.Combine("not-a-dir");
        File.WriteAllText(file, "");
        var ex = Assert.Throws<CniException>(() => Plugin.Status(Request(CniCommand.Status, dataDir: file)));
        Assert.Equal(CniErrorCode.NotAvailable, ex.Code);
        Assert.Contains("unusable", ex.Message);
    }

    [Fact]
    public void Status_InvalidConfig_IsCode7()
    {
        var ex = Assert.Throws<CniException>(() => Plugin.Status(Request(CniCommand.Status, subnet: "10.1.2.1/24")));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
    }

    [Fact]
    public void Gc_ReleasesWhatIsNotValidAndKeepsValidLegacyIds()
    {
        Reserve("10.1.2.2", "a\r\neth0");
        Reserve("10.1.2.3", "a\r\neth1");
        Reserve("10.1.2.4", "b\r\neth0");
        Reserve("10.1.2.5", "legacy-valid");
        Reserve("10.1.2.6", "legacy-gone");
        Reserve("last_reserved_ip.0", "10.1.2.6");
        Plugin.Gc(Request(CniCommand.Gc, extra: """
            ,"cni.dev/valid-attachments":[{"containerID":"a","ifname":"eth0"},{"containerID":"legacy-valid","ifname":"eth0"}]
            """));
        Assert.Equal(["10.1.2.2", "10.1.2.5", "last_reserved_ip.0", "lock"],
            Directory.GetFiles(NetDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Gc_AcceptsTheLibcniKeyAndAnEmptyListReleasesAll()
    {
        Reserve("10.1.2.2", "a\r\neth0");
        Plugin.Gc(Request(CniCommand.Gc, extra: ""","cni.dev/attachments":[]"""));
        Assert.False(File.Exists(Path.Join(NetDir, "10.1.2.2")));
    }

    [Fact]
    public void Gc_WithoutAttachmentList_ReleasesNothing()
    {
        Reserve("10.1.2.2", "a\r\neth0");
        var ex = Assert.Throws<CniException>(() => Plugin.Gc(Request(CniCommand.Gc)));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.True(File.Exists(Path.Join(NetDir, "10.1.2.2")));
    }

    [Fact]
    public void Gc_OnANetworkWithoutState_Succeeds()
    {
        Plugin.Gc(Request(CniCommand.Gc, extra: ""","cni.dev/valid-attachments":[]"""));
        Assert.False(Directory.Exists(NetDir));
    }

    [Fact]
    public void IsExhausted_CountsOnlyAddressesInsideTheSet()
    {
        var set = new RangeSet([new CniSharp.Ipam.HostLocal.Range(CniSharp.Ip.IPPrefix.Parse("10.1.2.0/30"))]);
        set.Canonicalize();
        Assert.False(HostLocalIpam.IsExhausted(set, [new IpReservation(IPAddress.Parse("10.9.9.9"), "x")]));
        Assert.True(HostLocalIpam.IsExhausted(set, [new IpReservation(IPAddress.Parse("10.1.2.2"), "x")]));
    }
}
