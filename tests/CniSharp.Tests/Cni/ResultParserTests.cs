using System.Text;
using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Tests.Cni;

public class ResultParserTests
{
    private static CniResult Parse(string json, string fallback = "1.1.0") => ResultParser.Parse(Encoding.UTF8.GetBytes(json), fallback);

    private static string Write(CniResult result, string version) => Encoding.UTF8.GetString(ResultWriter.Write(result, version));

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    [InlineData("0.3.1")]
    [InlineData("0.3.0")]
    [InlineData("0.2.0")]
    [InlineData("0.1.0")]
    public void WrittenResult_RoundTrips(string version)
    {
        string written = Write(SampleResults.DualStack(), version);
        CniResult parsed = Parse(written, "1.1.0");
        Assert.Equal(version, parsed.CniVersion);
        Assert.Equal(written, Write(parsed, version));
    }

    [Fact]
    public void V110_ReadsEveryField()
    {
        CniResult r = Parse(Write(SampleResults.DualStack(), "1.1.0"));
        CniInterface eth0 = r.Interfaces[2];
        Assert.Equal(("eth0", "aa:00:00:00:00:44", 1450, "/var/run/netns/cni-1", "/run/vhost.sock", "0000:04:00.5"),
            (eth0.Name, eth0.Mac, eth0.Mtu, eth0.Sandbox, eth0.SocketPath, eth0.PciId));
        Assert.Equal("10.244.1.5/24", r.Ips[0].Address.ToString());
        Assert.Equal("10.244.1.1", r.Ips[0].Gateway!.ToString());
        Assert.Equal(2, r.Ips[0].Interface);
        CniRoute route = r.Routes[0];
        Assert.Equal((1450, 1410, 100, 254, 0), (route.Mtu!.Value, route.AdvMss!.Value, route.Priority!.Value, route.Table!.Value, route.Scope!.Value));
        Assert.Equal(["10.96.0.10"], r.Dns!.Nameservers!);
    }

    [Fact]
    public void WithoutCniVersion_TakesTheFallback()
    {
        CniResult r = Parse("""{"ips":[{"version":"4","address":"10.1.0.2/16"}]}""", "0.4.0");
        Assert.Equal("0.4.0", r.CniVersion);
        Assert.Equal("10.1.0.2/16", r.Ips[0].Address.ToString());
    }

    [Fact]
    public void PrevResultWithoutCniVersion_IsReadInTheConfigVersion()
    {
        DecodedConfig c = NetConfDecoder.Decode(CniCommand.Add, Encoding.UTF8.GetBytes(
            """{"cniVersion":"0.2.0","name":"n","type":"t","prevResult":{"ip4":{"ip":"10.0.0.2/24","routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1"}]}}}"""));
        CniResult prev = c.Conf.ParsePrevResult()!;
        Assert.Equal("0.2.0", prev.CniVersion);
        Assert.Equal("10.0.0.2/24", prev.Ips[0].Address.ToString());
        Assert.Equal("10.0.0.1", prev.Routes[0].Gw!.ToString());
    }

    [Fact]
    public void NoPrevResult_IsNull()
    {
        DecodedConfig c = NetConfDecoder.Decode(CniCommand.Add, """{"cniVersion":"1.0.0","name":"n","type":"t"}"""u8);
        Assert.Null(c.Conf.ParsePrevResult());
    }

    [Fact]
    public void V030_AcceptsTheOriginalIpKey()
    {
        CniResult r = Parse("""{"cniVersion":"0.3.0","ip":[{"version":"6","address":"fd00::2/64","gateway":"fd00::1"}]}""");
        Assert.Equal("fd00::2/64", r.Ips[0].Address.ToString());
    }

    [Fact]
    public void RouteDestination_IsMasked()
    {
        CniResult r = Parse("""{"cniVersion":"1.0.0","routes":[{"dst":"10.1.2.3/16"}]}""");
        Assert.Equal("10.1.0.0/16", r.Routes[0].Dst.ToString());
    }

    [Fact]
    public void EmptyDns_BecomesNull()
    {
        Assert.Null(Parse("""{"cniVersion":"0.2.0","dns":{}}""").Dns);
    }

    [Fact]
    public void UnknownKeys_AreIgnored()
    {
        CniResult r = Parse("""{"cniVersion":"1.1.0","future":1,"ips":[{"address":"10.0.0.2/8","extra":true}]}""");
        Assert.Single(r.Ips);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2"}]}""", "result.ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"gateway":"10.0.0.1"}]}""", "result.ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/8","gateway":"10.0.0"}]}""", "result.ips[0].gateway")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/8","gateway":"fd00::1"}]}""", "result.ips[0].gateway")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/8","interface":-1}]}""", "result.ips[0].interface")]
    [InlineData("""{"cniVersion":"1.0.0","ips":{}}""", "result.ips")]
    [InlineData("""{"cniVersion":"1.0.0","interfaces":[{"mac":"x"}]}""", "result.interfaces[0].name")]
    [InlineData("""{"cniVersion":"1.1.0","routes":[{"dst":"0.0.0.0/0","mtu":"1500"}]}""", "result.routes[0].mtu")]
    [InlineData("""{"cniVersion":"1.0.0","routes":[{"gw":"10.0.0.1"}]}""", "result.routes[0].dst")]
    [InlineData("""{"cniVersion":"1.0.0","dns":{"nameservers":[1]}}""", "result.dns.nameservers")]
    [InlineData("""{"cniVersion":"0.2.0","ip4":{"ip":"fd00::1/64"}}""", "result.ip4.ip")]
    [InlineData("""{"cniVersion":"0.2.0","ip6":{"ip":"fd00::1/64","routes":[{"dst":"bad"}]}}""", "result.ip6.routes[0].dst")]
    [InlineData("""{"cniVersion":7}""", "result.cniVersion")]
    [InlineData("""[]""", "result")]
    public void InvalidContent_IsCode7NamingTheField(string json, string field)
    {
        CniException ex = Assert.Throws<CniException>(() => Parse(json));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains(field + ":", ex.Message);
    }

    [Fact]
    public void MalformedJson_IsCode6()
    {
        CniException ex = Assert.Throws<CniException>(() => Parse("{\"cniVersion\":"));
        Assert.Equal(CniErrorCode.DecodingFailure, ex.Code);
    }

    [Fact]
    public void UnsupportedVersion_IsCode1()
    {
        CniException ex = Assert.Throws<CniException>(() => Parse("""{"cniVersion":"9.9.9"}"""));
        Assert.Equal(CniErrorCode.IncompatibleVersion, ex.Code);
    }

    [Fact]
    public void NetConfAccessors_ReadRuntimeConfigAndArgs()
    {
        DecodedConfig c = NetConfDecoder.Decode(CniCommand.Add, """
            {"cniVersion":"1.0.0","name":"n","type":"t",
             "runtimeConfig":{"mac":"c2:11:22:33:44:55","ips":["10.1.2.3/24"],"ipRanges":[[{"subnet":"10.9.0.0/16"}]]},
             "args":{"cni":{"mac":"c2:00:00:00:00:01","ips":["10.2.2.42/24"]}}}
            """u8);
        Assert.Equal("c2:11:22:33:44:55", c.Conf.RuntimeConfigMac()!.Value.GetString());
        Assert.Equal("10.1.2.3/24", c.Conf.RuntimeConfigIps()!.Value[0].GetString());
        Assert.Equal(JsonValueKind.Array, c.Conf.RuntimeConfigIpRanges()!.Value.ValueKind);
        Assert.Equal("c2:00:00:00:00:01", c.Conf.ArgsCniMac()!.Value.GetString());
        Assert.Equal("10.2.2.42/24", c.Conf.ArgsCniIps()!.Value[0].GetString());
    }

    [Fact]
    public void NetConfAccessors_AreNullWhenAbsent()
    {
        DecodedConfig c = NetConfDecoder.Decode(CniCommand.Add, """{"cniVersion":"1.0.0","name":"n","type":"t","args":{"cni":null}}"""u8);
        Assert.Null(c.Conf.RuntimeConfigMac());
        Assert.Null(c.Conf.ArgsCniIps());
    }
}
