using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Pods;
using CniSharp.Plugins;
using CniSharp.Plugins.Ptp;

namespace CniSharp.Tests.Plugins;

public class PtpConfigTests
{
    private const string Ipam = """ "ipam": {"type": "cnisharp-host-local", "ranges": [[{"subnet": "10.244.1.0/24"}]]} """;

    private static PtpNetConf Load(string fields)
    {
        string json = """{"cniVersion":"1.1.0","name":"n","type":"cnisharp-ptp",""" + fields.Trim().TrimStart('{');
        JsonElement root = JsonDocument.Parse(json).RootElement;
        return PtpConfig.Load(new PluginRequest(new CniArgs { Command = CniCommand.Add }, root, new NetConf()));
    }

    [Fact]
    public void AMinimalConfig_IsLayer3_WithTheDefaultStateDirAndNoMtu()
    {
        PtpNetConf conf = Load(Ipam + "}");
        Assert.True(conf.IsLayer3);
        Assert.Equal("/var/lib/cni/cnisharp", conf.StateDirOrDefault);
        Assert.Null(conf.Mtu);
        Assert.False(conf.IpMasq);
    }

    [Theory]
    [InlineData("""  "mtu": 1400 }""", "needs an \"ipam\" section")]
    [InlineData("""  "ipam": {} }""", "needs an \"ipam\" section")]
    [InlineData("""  "mtu": 20, """ + Ipam + "}", "invalid mtu 20")]
    [InlineData("""  "stateDir": "relative/dir", """ + Ipam + "}", "stateDir \"relative/dir\": must be an absolute path")]
    [InlineData("""  "readinessFile": "run/ready", """ + Ipam + "}", "readinessFile \"run/ready\": must be an absolute path")]
    [InlineData("""  "mtu": "big", """ + Ipam + "}", "invalid cnisharp-ptp configuration at $.mtu")]
    [InlineData("""  "ipMasq": "yes", """ + Ipam + "}", "$.ipMasq")]
    public void InvalidConfig_IsCode7_NamingTheKey(string fields, string fragment)
    {
        var e = Assert.Throws<CniException>(() => Load(fields));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void IpMasq_IsServed_ButTheIptablesBackendIsRefusedWithCode2_AndStatusWith50()
    {
        PtpNetConf served = Load("""  "ipMasq": true, "nonMasqueradeCIDRs": ["10.244.0.0/16"], """ + Ipam + "}");
        PtpConfig.RefuseUnimplemented(served);
        Assert.Equal(["10.244.0.0/16"], MainPluginConfig.NonMasqueradeCidrs(served).Select(c => c.ToString()));

        PtpNetConf conf = Load("""  "ipMasq": true, "ipMasqBackend": "iptables", """ + Ipam + "}");
        var add = Assert.Throws<CniException>(() => PtpConfig.RefuseUnimplemented(conf));
        Assert.Equal(CniErrorCode.UnsupportedField, add.Code);
        Assert.Contains("\"ipMasqBackend\": \"iptables\"", add.Message);
        Assert.Equal(CniErrorCode.NotAvailable,
            Assert.Throws<CniException>(() => PtpConfig.RefuseUnimplemented(conf, CniErrorCode.NotAvailable)).Code);
    }

    [Fact]
    public void TheReferencePtpKeys_AreRead()
    {
        PtpNetConf conf = Load("""  "mtu": 1450, "ipMasqBackend": "nftables", "stateDir": "/run/cnisharp/state", """ + Ipam + "}");
        Assert.Equal(1450, conf.Mtu);
        Assert.Equal("nftables", conf.IpMasqBackend);
        Assert.Equal("/run/cnisharp/state", conf.StateDirOrDefault);
    }
}
