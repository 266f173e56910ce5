using System.Net;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Netfilter;
using CniSharp.Plugins;
using CniSharp.Plugins.Portmap;

namespace CniSharp.Tests.Plugins.Portmap;

public class PortmapConfigTests
{
    private static readonly IPPrefix[] DualStackPod = [IPPrefix.Parse("10.244.1.5/24"), IPPrefix.Parse("fd00:244::5/64")];

    private static PortmapNetConf Load(string json)
    {
        JsonElement root = JsonDocument.Parse(json).RootElement;
        return PortmapConfig.Load(new PluginRequest(new CniArgs { Command = CniCommand.Add }, root, new NetConf()));
    }

    private static PortmapNetConf WithMappings(string mappings) =>
        Load($$$"""{"name":"n","type":"cnisharp-portmap","runtimeConfig":{"portMappings":{{{mappings}}}}}""");

    [Fact]
    public void Defaults_SnatOn_NothingRefused()
    {
        PortmapNetConf conf = Load("""{"name":"n","type":"cnisharp-portmap","backend":"nftables","masqAll":false,"conditionsV4":[]}""");
        Assert.True(conf.SnatOrDefault);
        PortmapConfig.RefuseUnsupported(conf);
        Assert.False(Load("""{"name":"n","type":"cnisharp-portmap","snat":false}""").SnatOrDefault);
    }

    [Theory]
    [InlineData("""{"backend":"iptables"}""", "\"backend\": \"iptables\"")]
    [InlineData("""{"backend":"ebpf"}""", "the only backend is \"nftables\"")]
    [InlineData("""{"masqAll":true}""", "\"masqAll\": true")]
    [InlineData("""{"markMasqBit":13}""", "\"markMasqBit\"")]
    [InlineData("""{"externalSetMarkChain":"KUBE-MARK-MASQ"}""", "\"externalSetMarkChain\"")]
    [InlineData("""{"conditionsV4":["-s","10.0.0.0/8"]}""", "\"conditionsV4\"")]
    [InlineData("""{"conditionsV6":["ip6 saddr ::1"]}""", "\"conditionsV6\"")]
    public void UnsupportedKeys_LoadForDel_ButAddRefusesThemWithCode2_AndStatusWith50(string fields, string fragment)
    {
        PortmapNetConf conf = Load("""{"name":"n","type":"cnisharp-portmap",""" + fields.TrimStart('{'));
        var add = Assert.Throws<CniException>(() => PortmapConfig.RefuseUnsupported(conf));
        Assert.Equal(CniErrorCode.UnsupportedField, add.Code);
        Assert.Contains(fragment, add.Message);
        Assert.Equal(CniErrorCode.NotAvailable,
            Assert.Throws<CniException>(() => PortmapConfig.RefuseUnsupported(conf, CniErrorCode.NotAvailable)).Code);
    }

    [Fact]
    public void Mappings_WithoutHostIp_ApplyToEveryPodFamily_HostIpToItsOwn()
    {
        List<HostPortMapping> mappings = PortMappings.Resolve(WithMappings("""
            [{"hostPort":8080,"containerPort":80,"protocol":"tcp"},
             {"hostPort":5353,"containerPort":53,"protocol":"UDP","hostIP":"192.0.2.10"},
             {"hostPort":9000,"containerPort":9,"protocol":"sctp","hostIP":"::"},
             {"hostPort":7000,"containerPort":7,"hostIP":""}]
            """), DualStackPod);

        Assert.Equal(
            [
                "hostPort *:8080/tcp -> 10.244.1.5:80", "hostPort *:8080/tcp -> fd00:244::5:80",
                "hostPort 192.0.2.10:5353/udp -> 10.244.1.5:53",
                "hostPort *:9000/sctp -> fd00:244::5:9",
                "hostPort *:7000/tcp -> 10.244.1.5:7", "hostPort *:7000/tcp -> fd00:244::5:7",
            ],
            mappings.Select(m => m.ToString()));
    }

    [Fact]
    public void Mappings_AsContainerd16SendsThem_KeysInGoFieldCase()
    {
        // go-cni's PortMapping has no JSON tags: containerd 1.6 passes the Go field names, and Go's decoder (the
        // reference portmap's) matches keys ignoring case.
        List<HostPortMapping> mappings = PortMappings.Resolve(WithMappings("""
            [{"HostPort":31080,"ContainerPort":8080,"Protocol":"tcp","HostIP":""},
             {"HostPort":5353,"ContainerPort":53,"Protocol":"udp","HostIP":"192.0.2.10"}]
            """), DualStackPod);

        Assert.Equal(
            ["hostPort *:31080/tcp -> 10.244.1.5:8080", "hostPort *:31080/tcp -> fd00:244::5:8080", "hostPort 192.0.2.10:5353/udp -> 10.244.1.5:53"],
            mappings.Select(m => m.ToString()));
    }

    [Fact]
    public void NoMappings_IsNothingToDo()
    {
        Assert.Empty(PortMappings.Resolve(Load("""{"name":"n","type":"cnisharp-portmap"}"""), DualStackPod));
        Assert.Empty(PortMappings.Resolve(WithMappings("[]"), DualStackPod));
    }

    [Theory]
    [InlineData("""[{"hostPort":0,"containerPort":80}]""", "hostPort must be a number from 1 to 65535")]
    [InlineData("""[{"hostPort":80,"containerPort":70000}]""", "containerPort must be a number from 1 to 65535")]
    [InlineData("""[{"hostPort":"80","containerPort":80}]""", "hostPort must be a number")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"protocol":"icmp"}]""", "protocol \"icmp\" is not tcp, udp or sctp")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"hostIP":"localhost"}]""", "hostIP \"localhost\" is not an IP address")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"hostIP":"2001:db8::1"}]""", "hostIP 2001:db8::1 is IPv6, but the pod has no such address")]
    [InlineData("""[{"hostPort":80,"containerPort":80},{"hostPort":80,"containerPort":81}]""", "*:80/tcp is listed twice")]
    [InlineData("""[17]""", "17 is not an object")]
    public void BadMappings_AreInvalidConfig(string mappings, string fragment)
    {
        var e = Assert.Throws<CniException>(() => PortMappings.Resolve(WithMappings(mappings), [IPPrefix.Parse("10.244.1.5/24")]));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void MappingsForAPodWithoutAddresses_AreInvalidConfig()
    {
        var e = Assert.Throws<CniException>(() => PortMappings.Resolve(WithMappings("""[{"hostPort":80,"containerPort":80}]"""), []));
        Assert.Contains("the pod has no IP address in prevResult to map to", e.Message);
    }

    [Fact]
    public void PodAddresses_AreTheSandboxInterfacesFirstAddressPerFamily()
    {
        var result = new CniResult
        {
            Interfaces = [new CniInterface { Name = "cni0" }, new CniInterface { Name = "eth0", Sandbox = "/var/run/netns/x" }],
            Ips =
            [
                new CniIPConfig { Address = IPPrefix.Parse("10.244.1.1/24"), Interface = 0 },
                new CniIPConfig { Address = IPPrefix.Parse("10.244.1.5/24"), Interface = 1 },
                new CniIPConfig { Address = IPPrefix.Parse("10.244.1.6/24"), Interface = 1 },
                new CniIPConfig { Address = IPPrefix.Parse("fd00::5/64") },
            ],
        };
        Assert.Equal(["10.244.1.5/24", "fd00::5/64"], PortMappings.PodAddresses(result).Select(a => a.ToString()));
    }
}
