using System.Net;
using CniSharp.Cni;
using CniSharp.Ipam.HostLocal;
using static CniSharp.Tests.Ipam.IpamTestConfigs;

namespace CniSharp.Tests.Ipam;

public class HostLocalIpamTests
{
    private const string DualStack = """
        {"type":"host-local","ranges":[[{"subnet":"10.1.2.0/24"}],[{"subnet":"fd00:1::/64"}]],
         "routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0"}]}
        """;

    private readonly FakeIpamStore _store = new();

    private HostLocalIpam Ipam() => new(_ => _store);

    [Fact]
    public void Add_DualStack_OneAddressPerSetWithRoutesAndOneLock()
    {
        CniResult result = Ipam().Add(Request(Conf(DualStack)));
        Assert.Equal(["10.1.2.2/24", "fd00:1::2/64"], result.Ips.Select(i => i.Address.ToString()));
        Assert.Equal([IPAddress.Parse("10.1.2.1"), IPAddress.Parse("fd00:1::1")], result.Ips.Select(i => i.Gateway));
        Assert.All(result.Ips, ip => Assert.Null(ip.Interface));
        Assert.Equal(["0.0.0.0/0", "::/0"], result.Routes.Select(r => r.Dst.ToString()));
        Assert.Null(result.Dns);
        Assert.Equal(1, _store.LockCount);
        Assert.Equal(IPAddress.Parse("fd00:1::2"), _store.LastReserved[1]);
    }

    [Fact]
    public void Add_RequestedIpGoesToItsSetOthersRoundRobin()
    {
        CniResult result = Ipam().Add(Request(Conf(DualStack), cniArgs: "IgnoreUnknown=1;IP=fd00:1::99/64"));
        Assert.Equal(["10.1.2.2/24", "fd00:1::99/64"], result.Ips.Select(i => i.Address.ToString()));
    }

    [Fact]
    public void Add_UnconsumedRequestedIp_ReleasesEverythingAndFails()
    {
        var conf = Conf(DualStack, runtimeConfig: """{"ips":["10.1.2.50","10.1.2.51"]}""");
        var ex = Assert.Throws<CniException>(() => Ipam().Add(Request(conf)));
        Assert.Equal("failed to allocate all requested IPs: 10.1.2.51", ex.Message);
        Assert.Empty(_store.Owners);
    }

    [Fact]
    public void Add_RequestedGateway_FailsNamingTheSet()
    {
        var ex = Assert.Throws<CniException>(() => Ipam().Add(Request(Conf(DualStack), cniArgs: "IP=fd00:1::1")));
        Assert.Equal("failed to allocate for range 1: requested ip fd00:1::1 is subnet's gateway", ex.Message);
        Assert.Empty(_store.Owners);
    }

    [Fact]
    public void Add_SecondSetExhausted_ReleasesTheFirstAndKeepsCode11()
    {
        var conf = Conf(Ranges("""[{"subnet":"10.1.2.0/24"}]""", """[{"subnet":"10.1.3.0/30"}]"""));
        _store.Reserved("10.1.3.2", "other\r\neth0");
        var ex = Assert.Throws<CniException>(() => Ipam().Add(Request(conf)));
        Assert.Equal(CniErrorCode.TryAgainLater, ex.Code);
        Assert.Equal("failed to allocate for range 1: no IP addresses available in range set: 10.1.3.1-10.1.3.2", ex.Message);
        Assert.Single(_store.Owners);
        Assert.False(_store.Locked);
    }

    [Fact]
    public void Add_DuplicateAttachment_FailsWithoutReleasingTheOriginal()
    {
        var conf = Conf(Ranges("""[{"subnet":"10.1.2.0/24"}]""", """[{"subnet":"10.1.3.0/24"}]"""));
        _store.Reserved("10.1.3.7", "c1\r\neth0");
        var ex = Assert.Throws<CniException>(() => Ipam().Add(Request(conf)));
        Assert.Equal("failed to allocate for range 1: 10.1.3.7 has been allocated to c1, duplicate allocation is not allowed", ex.Message);
        Assert.Equal([IPAddress.Parse("10.1.3.7")], _store.Owners.Keys);
    }

    [Fact]
    public void Add_ResolvConf_FillsDns()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "nameserver 10.0.0.10\ndomain cluster.local\nsearch a b\n");
            var conf = Conf("""{"type":"host-local","subnet":"10.1.2.0/24","resolvConf":"PATH"}""".Replace("PATH", path));
            CniResult result = Ipam().Add(Request(conf));
            Assert.Equal(["10.0.0.10"], result.Dns!.Nameservers!);
            Assert.Equal("cluster.local", result.Dns.Domain);
            Assert.Equal(["a", "b"], result.Dns.Search!);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Add_MissingResolvConf_FailsBeforeReserving()
    {
        var conf = Conf("""{"type":"host-local","subnet":"10.1.2.0/24","resolvConf":"/nonexistent/resolv.conf"}""");
        var ex = Assert.Throws<CniException>(() => Ipam().Add(Request(conf)));
        Assert.Contains("/nonexistent/resolv.conf", ex.Message);
        Assert.Empty(_store.Owners);
    }

    [Fact]
    public void Del_ReleasesOnlyThisAttachment()
    {
        _store.Reserved("10.1.2.5", "c1\r\neth0").Reserved("fd00:1::5", "c1\r\neth0").Reserved("10.1.2.6", "c1\r\neth1");
        Ipam().Del(Request(Conf(DualStack)));
        Assert.Equal([IPAddress.Parse("10.1.2.6")], _store.Owners.Keys);
        Assert.Equal(1, _store.LockCount);
    }

    [Fact]
    public void Del_NothingReservedOrNoStore_Succeeds()
    {
        Ipam().Del(Request(Conf(DualStack)));
        _store.Exists = false;
        Ipam().Del(Request(Conf(DualStack)));
        Assert.Equal(1, _store.LockCount);
    }

    [Fact]
    public void Del_InvalidConfig_StillFails()
    {
        Assert.Throws<CniException>(() => Ipam().Del(Request(Conf("""{"type":"host-local"}"""))));
    }

    [Fact]
    public void Check_FindsTheAttachmentOrLegacyId()
    {
        _store.Reserved("10.1.2.5", "c1\r\neth0").Reserved("10.1.2.6", "legacy");
        Ipam().Check(Request(Conf(DualStack)));
        Ipam().Check(Request(Conf(DualStack), containerId: "legacy", ifName: "eth3"));
        var ex = Assert.Throws<CniException>(() => Ipam().Check(Request(Conf(DualStack), ifName: "eth1")));
        Assert.Contains("container c1 (ifname eth1) in network \"testnet\"", ex.Message);
    }

    [Fact]
    public void Add_ThenDel_ThenAdd_RoundRobinsToTheNextAddress()
    {
        var conf = Conf(DualStack);
        Ipam().Add(Request(conf));
        Ipam().Del(Request(conf));
        CniResult again = Ipam().Add(Request(conf));
        Assert.Equal(["10.1.2.3/24", "fd00:1::3/64"], again.Ips.Select(i => i.Address.ToString()));
    }
}
