using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Plugins;
using CniSharp.Plugins.Bridge;

namespace CniSharp.Tests.Plugins;

public class BridgeConfigTests
{
    private static BridgeNetConf Load(string json)
    {
        JsonElement root = JsonDocument.Parse(json).RootElement;
        var args = new CniArgs { Command = CniCommand.Add };
        return BridgeConfig.Load(new PluginRequest(args, root, new NetConf()));
    }

    [Fact]
    public void Defaults_AreAClashFreeBridgeName_AndLayer2WithoutIpam()
    {
        BridgeNetConf conf = Load("""{"cniVersion":"1.1.0","name":"n","type":"cnisharp-bridge"}""");
        Assert.Equal("cnisharp0", conf.BridgeName);
        Assert.False(conf.IsLayer3);
        Assert.Null(conf.Mtu);
    }

    [Fact]
    public void EmptyIpamObject_IsLayer2()
    {
        BridgeNetConf conf = Load("""{"name":"n","type":"cnisharp-bridge","ipam":{}}""");
        Assert.False(conf.IsLayer3);
    }

    [Theory]
    [InlineData("""{"bridge":"this-name-is-too-long"}""", 7, "bridge name")]
    [InlineData("""{"bridge":"br/0"}""", 7, "bridge name")]
    [InlineData("""{"mtu":20}""", 7, "mtu")]
    [InlineData("""{"vlan":5000}""", 7, "vlan")]
    [InlineData("""{"hairpinMode":true,"promiscMode":true}""", 7, "hairpinMode")]
    [InlineData("""{"disableContainerInterface":true,"ipam":{"type":"cnisharp-host-local"}}""", 7, "disableContainerInterface")]
    [InlineData("""{"mtu":"big"}""", 7, "$.mtu")]
    [InlineData("""{"isGateway":"yes"}""", 7, "$.isGateway")]
    public void InvalidConfig_IsRejected_NamingTheKey(string fields, int code, string fragment)
    {
        string json = """{"name":"n","type":"cnisharp-bridge",""" + fields.TrimStart('{');
        var e = Assert.Throws<CniException>(() => Load(json));
        Assert.Equal((CniErrorCode)code, e.Code);
        Assert.Contains(fragment, e.Message);
    }

    [Theory]
    [InlineData("""{"ipMasq":true}""")]
    [InlineData("""{"ipMasq":true,"ipMasqBackend":"nftables"}""")]
    [InlineData("""{"macspoofchk":true}""")]
    public void MasqueradeAndSpoofCheck_AreImplemented_AddRefusesNothing(string fields)
    {
        BridgeNetConf conf = Load("""{"name":"n","type":"cnisharp-bridge",""" + fields.TrimStart('{'));
        BridgeConfig.RefuseUnimplemented(conf);
    }

    [Fact]
    public void IptablesMasqueradeBackend_LoadsForDel_ButAddRefusesItWithCode2_AndStatusWith50()
    {
        BridgeNetConf conf = Load("""{"name":"n","type":"cnisharp-bridge","ipMasq":true,"ipMasqBackend":"iptables"}""");
        var add = Assert.Throws<CniException>(() => BridgeConfig.RefuseUnimplemented(conf));
        Assert.Equal(CniErrorCode.UnsupportedField, add.Code);
        Assert.Contains("\"ipMasqBackend\": \"iptables\"", add.Message);
        Assert.Contains("set \"ipMasqBackend\": \"nftables\" or remove it", add.Message);
        Assert.Equal(CniErrorCode.NotAvailable,
            Assert.Throws<CniException>(() => BridgeConfig.RefuseUnimplemented(conf, CniErrorCode.NotAvailable)).Code);
    }

    [Theory]
    [InlineData("""{"ipMasqBackend":"ebtables"}""", "invalid ipMasqBackend \"ebtables\"")]
    [InlineData("""{"nonMasqueradeCIDRs":["10.244.0.0/16","cluster"]}""", "invalid nonMasqueradeCIDRs entry \"cluster\"")]
    public void BadMasqueradeKeys_AreInvalidConfig(string fields, string fragment)
    {
        var e = Assert.Throws<CniException>(() => Load("""{"name":"n","type":"cnisharp-bridge",""" + fields.TrimStart('{')));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void NonMasqueradeCidrs_AreParsedToTheirNetworks()
    {
        BridgeNetConf conf = Load("""{"name":"n","type":"cnisharp-bridge","nonMasqueradeCIDRs":["10.244.3.7/16","fd00:10::/56"]}""");
        Assert.Equal(["10.244.0.0/16", "fd00:10::/56"], BridgeConfig.NonMasqueradeCidrs(conf).Select(c => c.ToString()));
    }

    [Theory]
    [InlineData("""{"vlan":10}""", true)]
    [InlineData("""{"vlanTrunk":[{"id":10}]}""", true)]
    [InlineData("""{"vlan":0}""", false)]
    public void WantsVlan_SeesEveryForm(string fields, bool wants)
    {
        BridgeNetConf conf = Load("""{"name":"n","type":"cnisharp-bridge",""" + fields.TrimStart('{'));
        Assert.Equal(wants, BridgeConfig.WantsVlan(conf));
    }
}
