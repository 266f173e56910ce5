using System.Net;
using CniSharp.Agent.Bgp;

namespace CniSharp.Agent.Tests.Bgp;

public class StatusTableTests
{
    [Fact]
    public void One_table_per_family_like_calicoctl()
    {
        string text = StatusTable.Render(
        [
            new BgpSessionStatus("mesh_198_51_100_12", BgpPeerType.Mesh, IPAddress.Parse("198.51.100.12"), "up", "2026-12-01T01:35:02", "Established"),
            new BgpSessionStatus("peer_198_51_100_254", BgpPeerType.External, IPAddress.Parse("198.51.100.254"), "start", "2026-12-01T01:36:21", "Active Socket: Connection refused"),
        ]);
        Assert.Equal("""
            IPv4 BGP status
            +----------------+-------------------+-------+---------------------+-----------------------------------+
            |  PEER ADDRESS  |     PEER TYPE     | STATE |        SINCE        |               INFO                |
            +----------------+-------------------+-------+---------------------+-----------------------------------+
            | 198.51.100.12  | node-to-node mesh | up    | 2026-12-01T01:35:02 | Established                       |
            | 198.51.100.254 | external          | start | 2026-12-01T01:36:21 | Active Socket: Connection refused |
            +----------------+-------------------+-------+---------------------+-----------------------------------+

            IPv6 BGP status
            No IPv6 peers found.


            """.Replace("\r", ""), text);
    }
}
