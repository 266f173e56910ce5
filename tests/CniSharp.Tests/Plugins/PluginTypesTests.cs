using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Plugins;
using CniSharp.Tests.Host;

namespace CniSharp.Tests.Plugins;

public sealed class PluginTypesTests
{
    [Fact]
    public void Catalog_ServesExactlyTheListedTypes_InListOrder()
    {
        Assert.Equal(PluginTypes.All.Select(t => t.Name), PluginCatalog.Create().Select(p => p.Type));
    }

    [Fact]
    public void ListPlugins_PrintsOneServedTypePerLine()
    {
        var h = new HostHarness();
        h.AddPlugin(PluginTypes.Bridge);
        h.AddPlugin(PluginTypes.HostLocal);

        Assert.Equal(0, h.Run("--list-plugins"));
        Assert.Equal($"{PluginTypes.Bridge}\n{PluginTypes.HostLocal}\n", h.StdoutText);
    }

    [Fact]
    public void Help_DescribesEveryServedTypeFromTheList()
    {
        var h = new HostHarness();
        foreach (PluginType type in PluginTypes.All) h.AddPlugin(type.Name);

        Assert.Equal(0, h.Run("--help"));
        foreach (PluginType type in PluginTypes.All)
            Assert.Contains($"{type.Name}", h.StdoutText);
        Assert.Contains(PluginTypes.Find(PluginTypes.HostLocal)!.Summary, h.StdoutText);
    }

    [Theory]
    [InlineData(PluginTypes.Bridge, "main")]
    [InlineData(PluginTypes.Loopback, "main")]
    [InlineData(PluginTypes.Ptp, "main")]
    public void IpamFactory_RefusesOurNonIpamTypes(string type, string kind)
    {
        var conf = new NetConf { Name = "n", Ipam = System.Text.Json.JsonDocument.Parse($"{{\"type\":\"{type}\"}}").RootElement };
        var error = Assert.Throws<CniException>(() => IpamFactory.For(conf));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"is a CniSharp {kind} plugin", error.Message);
    }
}
