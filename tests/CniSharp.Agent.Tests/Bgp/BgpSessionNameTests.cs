using System.Net;
using CniSharp.Agent.Bgp;

namespace CniSharp.Agent.Tests.Bgp;

public class BgpSessionNameTests
{
    [Theory]
    [InlineData("Mesh", "198.51.100.12", "mesh_198_51_100_12")]
    [InlineData("RouteReflector", "203.0.113.1", "rr_203_0_113_1")]
    [InlineData("ReflectorClient", "10.0.0.7", "rrclient_10_0_0_7")]
    [InlineData("External", "2001:db8:100::fe", "peer_2001_db8_100__fe")]
    [InlineData("Mesh", "fd00::1:2:3", "mesh_fd00__1_2_3")]
    public void Names_carry_type_and_peer_and_read_back(string typeName, string address, string name)
    {
        BgpPeerType type = Enum.Parse<BgpPeerType>(typeName);
        Assert.Equal(name, BgpSessionName.For(type, IPAddress.Parse(address)));
        Assert.True(BgpSessionName.TryParse(name, out BgpPeerType parsedType, out IPAddress? peer));
        Assert.Equal((type, IPAddress.Parse(address)), (parsedType, peer));
    }

    [Theory]
    [InlineData("device1")]
    [InlineData("kernel4")]
    [InlineData("mesh_not_an_address")]
    [InlineData("mesh_")]
    public void Other_protocols_are_not_sessions(string name) =>
        Assert.False(BgpSessionName.TryParse(name, out _, out _));
}
