using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Datastore;

public class SubnetEncodingTests
{
    [Fact]
    public void Key_is_prefix_subnets_ip_dash_len()
    {
        Assert.Equal("/cnisharp/network/subnets/10.244.3.0-24", SubnetKey.For("/cnisharp/network", IPPrefix.Parse("10.244.3.0/24")));
        Assert.Equal("/p/subnets/fd00:10:244:3::-64", SubnetKey.For("/p", IPPrefix.Parse("fd00:10:244:3::/64")));
    }

    [Theory]
    [InlineData("/cnisharp/network/subnets/10.244.3.0-24", "10.244.3.0/24")]
    [InlineData("/cnisharp/network/subnets/fd00:10:244:3::-64", "fd00:10:244:3::/64")]
    [InlineData("/cnisharp/network/subnets/10.244.3.1-24", null)]
    [InlineData("/cnisharp/network/subnets/10.244.3.0", null)]
    [InlineData("/cnisharp/network/config", null)]
    [InlineData("/other/subnets/10.244.3.0-24", null)]
    public void Key_parses_back(string key, string? subnet)
    {
        bool ok = SubnetKey.TryParse("/cnisharp/network", key, out IPPrefix? parsed);
        Assert.Equal(subnet is not null, ok);
        if (subnet is not null) Assert.Equal(IPPrefix.Parse(subnet), parsed);
    }

    [Fact]
    public void Value_has_the_documented_field_names()
    {
        var node = new NodeAttributes("n1", IPAddress.Parse("192.168.10.2"), null, BackendKind.Vxlan, PhysicalAddress.Parse("02-11-22-33-44-55"));
        Assert.Equal("""{"node":"n1","publicIP":"192.168.10.2","backend":"vxlan","vtepMAC":"02:11:22:33:44:55"}""", SubnetValue.Serialize(node));
        var dual = node with { PublicIPv6 = IPAddress.Parse("fd00::2"), Backend = BackendKind.HostGw, VtepMac = null };
        Assert.Equal("""{"node":"n1","publicIP":"192.168.10.2","publicIPv6":"fd00::2","backend":"host-gw","vtepMAC":null}""", SubnetValue.Serialize(dual));
    }

    [Fact]
    public void Value_round_trips_and_rejects_garbage()
    {
        var node = new NodeAttributes("n1", IPAddress.Parse("192.168.10.2"), IPAddress.Parse("fd00::2"), BackendKind.CrossSubnet, PhysicalAddress.Parse("02-11-22-33-44-55"));
        Assert.Equal(node, SubnetValue.TryParse(Encoding.UTF8.GetBytes(SubnetValue.Serialize(node)), out _));
        foreach (string bad in new[] { "{", """{"backend":"vxlan"}""", """{"node":"a","backend":"ipip"}""", """{"node":"a","backend":"vxlan","publicIP":"x"}""" })
        {
            Assert.Null(SubnetValue.TryParse(Encoding.UTF8.GetBytes(bad), out string? error));
            Assert.NotNull(error);
        }
    }
}
