using System.Net;
using CniSharp.Cni;
using CniSharp.Ipam.HostLocal;
using static CniSharp.Tests.Ipam.IpamTestConfigs;

namespace CniSharp.Tests.Ipam;

public class IpamConfigTests
{
    public static TheoryData<string, string, string?, string> InvalidConfigs => new()
    {
        // ipam JSON, network name, cniVersion, expected message fragment
        { """{"type":"host-local"}""", "net", "1.0.0", "no IP ranges specified" },
        { """{"type":"host-local","ranges":[]}""", "net", "1.0.0", "no IP ranges specified" },
        { Ranges("""[]"""), "net", "1.0.0", "invalid range set 0: empty range set" },
        { Ranges("""[{"subnet":"10.1.2.3/24"}]"""), "net", "1.0.0",
            "invalid range set 0: Network has host bits set. For a subnet mask of length 24 the network address is 10.1.2.0" },
        { Ranges("""[{"subnet":"10.1.2.0/31"}]"""), "net", "1.0.0", "invalid range set 0: Network 10.1.2.0/31 too small to allocate from" },
        { Ranges("""[{"subnet":"10.1.2.0/32"}]"""), "net", "1.0.0", "Network 10.1.2.0/32 too small to allocate from" },
        { Ranges("""[{"subnet":"2001:db8::/127"}]"""), "net", "1.0.0", "Network 2001:db8::/127 too small to allocate from" },
        { Ranges("""[{"subnet":"10.1.2.0/24","rangeStart":"10.1.3.1"}]"""), "net", "1.0.0", "RangeStart 10.1.3.1 not in network 10.1.2.0/24" },
        { Ranges("""[{"subnet":"10.1.2.0/24","rangeEnd":"10.1.3.1"}]"""), "net", "1.0.0", "RangeEnd 10.1.3.1 not in network 10.1.2.0/24" },
        { Ranges("""[{"subnet":"10.1.2.0/24","rangeStart":"10.1.2.50","rangeEnd":"10.1.2.40"}]"""), "net", "1.0.0",
            "RangeEnd 10.1.2.40 is before RangeStart 10.1.2.50" },
        { Ranges("""[{"subnet":"10.1.2.0/24","gateway":"10.9.9.9"}]"""), "net", "1.0.0", "Gateway 10.9.9.9 not in network 10.1.2.0/24" },
        { Ranges("""[{"subnet":"10.1.2.0/24","rangeStart":"2001:db8::1"}]"""), "net", "1.0.0", "RangeStart 2001:db8::1 not in network 10.1.2.0/24" },
        { Ranges("""[{"subnet":"10.1.2.0/24"},{"subnet":"2001:db8::/64"}]"""), "net", "1.0.0", "invalid range set 0: mixed address families" },
        { Ranges("""[{"subnet":"10.1.2.0/24"},{"subnet":"10.1.2.0/25"}]"""), "net", "1.0.0",
            "invalid range set 0: subnets 10.1.2.1-10.1.2.254 and 10.1.2.1-10.1.2.126 overlap" },
        { Ranges("""[{"subnet":"10.1.2.0/24"}]""", """[{"subnet":"10.1.2.0/24","rangeStart":"10.1.2.100"}]"""), "net", "1.0.0",
            "range set 0 overlaps with 1" },
        { Ranges("""[{"subnet":"10.1.2.0/24"}]""", """[{"subnet":"10.1.3.0/24"}]"""), "net", "0.2.0",
            "CNI version 0.2.0 does not support more than 1 address per family" },
        { Ranges("""[{"subnet":"10.1.2.0/24"}]""", """[{"subnet":"10.1.3.0/24"}]"""), "net", null,
            "CNI version 0.1.0 does not support more than 1 address per family" },
        { Ranges("""[{"rangeStart":"10.1.2.1"}]"""), "net", "1.0.0", "ipam.ranges[0][0]: missing \"subnet\"" },
        { Ranges("""[{"subnet":"10.1.2.0"}]"""), "net", "1.0.0", "invalid CIDR address: 10.1.2.0" },
        { Ranges("""[{"subnet":"10.1.2.0/24","gateway":"10.1.2"}]"""), "net", "1.0.0", "invalid IP address: 10.1.2" },
        { Ranges("""[{"subnet":"10.1.2.0/24"}]"""), "..", "1.0.0", "invalid network name \"..\"" },
        { Ranges("""[{"subnet":"10.1.2.0/24"}]"""), "a/b", "1.0.0", "invalid network name \"a/b\"" },
        { Ranges("""[{"subnet":"10.1.2.0/24"}]"""), ".hidden", "1.0.0", "invalid network name" },
        // .NET's regex $ also matches before a final newline; the name rule must not.
        { Ranges("""[{"subnet":"10.1.2.0/24"}]"""), "net\n", "1.0.0", "invalid network name" },
        { Ranges("""[{"subnet":"10.1.2.0/24"}]"""), "", "1.0.0", "missing network name" },
        { """{"type":"host-local","subnet":"10.1.2.0/24","routes":[{"gw":"10.1.2.1"}]}""", "net", "1.0.0", "ipam.routes[0].dst: is required" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Load_RejectsInvalidConfigWithCode7(string ipam, string name, string? cniVersion, string expected)
    {
        var ex = Assert.Throws<CniException>(() => IpamConfig.Load(Conf(ipam, name, cniVersion), null));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Load_WithoutIpamSection_Fails()
    {
        var conf = new NetConf { Name = "net", CniVersion = "1.0.0" };
        var ex = Assert.Throws<CniException>(() => IpamConfig.Load(conf, null));
        Assert.Equal("IPAM config missing 'ipam' key", ex.Message);
    }

    [Fact]
    public void Load_TwoSetsPerFamilyAllowedFrom030()
    {
        var config = IpamConfig.Load(Conf(Ranges("""[{"subnet":"10.1.2.0/24"}]""", """[{"subnet":"10.1.3.0/24"}]"""), cniVersion: "0.3.0"), null);
        Assert.Equal(2, config.RangeSets.Count);
    }

    [Fact]
    public void Load_OrdersRuntimeRangesThenLegacyThenRanges()
    {
        var conf = Conf("""
            {"type":"host-local","subnet":"10.2.0.0/24","gateway":"10.2.0.254",
             "ranges":[[{"subnet":"10.3.0.0/24"}]],"dataDir":"/tmp/x","resolvConf":"/etc/r",
             "routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.1.5/24","gw":"10.3.0.9","mtu":1400}]}
            """, runtimeConfig: """{"ipRanges":[[{"subnet":"10.1.0.0/24"}]]}""");
        var config = IpamConfig.Load(conf, null);
        Assert.Equal(["10.1.0.1-10.1.0.254", "10.2.0.1-10.2.0.254", "10.3.0.1-10.3.0.254"], config.RangeSets.Select(s => s.ToString()));
        Assert.Equal(IPAddress.Parse("10.2.0.254"), config.RangeSets[1][0].Gateway);
        Assert.Equal("/tmp/x/testnet", config.NetworkDir);
        Assert.Equal("/etc/r", config.ResolvConf);
        Assert.Equal("192.168.1.0/24", config.Routes[1].Dst.ToString());
        Assert.Equal(IPAddress.Parse("10.3.0.9"), config.Routes[1].Gw);
        Assert.Equal(1400, config.Routes[1].Mtu);
        Assert.Null(config.Routes[0].Gw);
    }

    [Fact]
    public void Load_DefaultsDataDir()
    {
        var config = IpamConfig.Load(Conf(Ranges("""[{"subnet":"10.1.2.0/24"}]""")), null);
        Assert.Equal("/var/lib/cni/networks/testnet", config.NetworkDir);
    }

    [Fact]
    public void Load_AccumulatesRequestedIpsFromAllSourcesIgnoringPrefixes()
    {
        // One set per requested address, or Load refuses the leftovers (see below).
        var conf = Conf(Ranges("""[{"subnet":"10.1.2.0/28"}]""", """[{"subnet":"10.1.2.16/29"}]""",
                """[{"subnet":"10.1.2.24/29"}]""", """[{"subnet":"2001:db8::/64"}]"""),
            args: """{"cni":{"ips":["10.1.2.20/24","2001:db8::5"]}}""",
            runtimeConfig: """{"ips":["10.1.2.30","10.1.2.10/16"]}""");
        var config = IpamConfig.Load(conf, "IgnoreUnknown=1;IP=10.1.2.10/24;K8S_POD_NAME=x");
        Assert.Equal(["10.1.2.10", "10.1.2.20", "2001:db8::5", "10.1.2.30"], config.RequestedIPs.Select(IpText.Format));
    }

    [Fact]
    public void Load_RefusesARequestedIpOutsideEverySet_BeforeAnythingIsReserved()
    {
        var ex = Assert.Throws<CniException>(() => IpamConfig.Load(Conf(Ranges("""[{"subnet":"10.1.2.0/24"}]""")), "IP=10.9.9.9"));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Equal("failed to allocate all requested IPs: 10.9.9.9", ex.Message);
    }

    [Fact]
    public void Load_RefusesTwoRequestedIpsForOneSet_NamingTheLeftover()
    {
        // A set takes the first requested address it contains; the second can never be allocated.
        var conf = Conf(Ranges("""[{"subnet":"10.1.2.0/24"}]"""), runtimeConfig: """{"ips":["10.1.2.60"]}""");
        var ex = Assert.Throws<CniException>(() => IpamConfig.Load(conf, "IP=10.1.2.50"));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Equal("failed to allocate all requested IPs: 10.1.2.60", ex.Message);
    }

    [Fact]
    public void Load_RejectsGarbageRequestedIp()
    {
        var conf = Conf(Ranges("""[{"subnet":"10.1.2.0/24"}]"""), runtimeConfig: """{"ips":["nope"]}""");
        var ex = Assert.Throws<CniException>(() => IpamConfig.Load(conf, null));
        Assert.Contains("cannot understand ip", ex.Message);
        var envEx = Assert.Throws<CniException>(() => IpamConfig.Load(Conf(Ranges("""[{"subnet":"10.1.2.0/24"}]""")), "IP=10.1.2"));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, envEx.Code);
    }
}
