using System.Net;
using System.Net.Sockets;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Tests.Netlink.Netfilter;

/// <summary>
/// The filtered conntrack delete. conntrack(8) 1.4.7 dumps the table and deletes entry by entry, so there is no
/// tool capture of this request: the bytes are laid out by hand from linux/netfilter/nfnetlink_conntrack.h, and
/// the integration tests show the kernel deletes exactly the matching entries.
/// </summary>
public class ConntrackNetlinkTests : IDisposable
{
    private readonly FakeNftKernel _kernel = new();
    private readonly ConntrackNetlink _conntrack;

    public ConntrackNetlinkTests() => _conntrack = new ConntrackNetlink(new NetfilterNetlink(_kernel));

    public void Dispose() => _conntrack.Dispose();

    [Fact]
    public void DeleteFlowsTo_AnyAddress_IsOneFilteredDelete()
    {
        _conntrack.DeleteFlowsTo(AddressFamily.InterNetwork, NftKey.Udp, 5353);
        FakeNftKernel.SentMessage sent = Assert.Single(Assert.Single(_kernel.Requests));
        Assert.Equal(0x0102, sent.Type);                    // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE
        Assert.Equal(0x0005, sent.Flags);                   // NLM_F_REQUEST | NLM_F_ACK
        Assert.Equal(
            "02000000" +                                    // nfgenmsg AF_INET
            "18000180" +                                    // CTA_TUPLE_ORIG {
            "14000280" +                                    //   CTA_TUPLE_PROTO {
            "0500010011000000" +                            //     CTA_PROTO_NUM 17 (UDP)
            "0600030014E90000" +                            //     CTA_PROTO_DST_PORT 5353, big-endian } }
            "0C001980" +                                    // CTA_FILTER {
            "0800010028000000",                             //   CTA_FILTER_ORIG_FLAGS PROTO_NUM | PROTO_DST_PORT }
            Convert.ToHexString(sent.Payload));
    }

    [Fact]
    public void DeleteFlowsTo_OneAddress_AlsoMatchesTheDestination()
    {
        _conntrack.DeleteFlowsTo(AddressFamily.InterNetworkV6, NftKey.Udp, 53, IPAddress.Parse("fd00::1"));
        FakeNftKernel.SentMessage sent = Assert.Single(Assert.Single(_kernel.Requests));
        Assert.Equal(
            "0A000000" +                                    // nfgenmsg AF_INET6
            "30000180" +                                    // CTA_TUPLE_ORIG {
            "18000180" +                                    //   CTA_TUPLE_IP {
            "14000400FD000000000000000000000000000001" +    //     CTA_IP_V6_DST fd00::1 }
            "14000280" +                                    //   CTA_TUPLE_PROTO {
            "0500010011000000" +
            "0600030000350000" +                            //     port 53 } }
            "0C001980" +
            "080001002A000000",                             // CTA_FILTER_ORIG_FLAGS IP_DST | PROTO_NUM | PROTO_DST_PORT
            Convert.ToHexString(sent.Payload));
    }
}
