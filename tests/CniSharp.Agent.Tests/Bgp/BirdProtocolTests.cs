using System.Net;
using CniSharp.Agent.Bgp;

namespace CniSharp.Agent.Tests.Bgp;

public class BirdProtocolTests
{
    // birdc -s SOCKET show protocols, BIRD 2.0.12, with the agent's timeformat.
    private const string Output = """
        BIRD 2.0.12 ready.
        Name       Proto      Table      State  Since         Info
        device1    Device     ---        up     2026-12-01T01:35:01  
        underlay   Direct     ---        up     2026-12-01T01:35:01  
        kernel4    Kernel     master4    up     2026-12-01T01:35:01  
        mesh_198_51_100_12 BGP        ---        up     2026-12-01T01:35:02  Established   
        mesh_203_0_113_13 BGP        ---        start  2026-12-01T01:36:21  Active        Socket: Connection closed
        peer_198_51_100_254 BGP        ---        start  2026-12-01T01:36:21  Connect       
        """;

    [Fact]
    public void Bgp_sessions_are_read_with_state_and_info()
    {
        IReadOnlyList<BgpSessionStatus> sessions = BgpSessionStatus.From(BirdProtocol.ParseTable(Output));
        Assert.Equal(3, sessions.Count);
        BgpSessionStatus up = sessions[0];
        Assert.Equal((BgpPeerType.Mesh, IPAddress.Parse("198.51.100.12"), "up", "2026-12-01T01:35:02", "Established"),
            (up.Type, up.Peer, up.State, up.Since, up.Info));
        Assert.True(up.Established);
        Assert.Equal(("start", "Active Socket: Connection closed", "Active"), (sessions[1].State, sessions[1].Info, sessions[1].BgpState));
        Assert.False(sessions[1].Established);
        Assert.Equal((BgpPeerType.External, "Connect"), (sessions[2].Type, sessions[2].BgpState));
    }

    [Fact]
    public void Every_protocol_line_is_kept_and_banner_and_header_are_not()
    {
        IReadOnlyList<BirdProtocol> all = BirdProtocol.ParseTable(Output);
        Assert.Equal(["device1", "underlay", "kernel4", "mesh_198_51_100_12", "mesh_203_0_113_13", "peer_198_51_100_254"], all.Select(p => p.Name));
        Assert.Equal("Kernel", all[2].Proto);
    }
}
