using System.Net;
using System.Net.NetworkInformation;
using CniSharp.Interop;
using CniSharp.Ip;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Tests.Netlink.Route;

/// <summary>
/// Golden bytes of the requests each verb sends. Payloads marked "strace" were captured from ip(8)/bridge(8)
/// with strace -xx -e trace=sendmsg for the same command; the nlmsghdr seq/pid differ and are rebuilt here.
/// One deliberate difference: ip(8) sends IFLA_INFO_KIND without its NUL, CniSharp with it (the kernel's
/// NLA_STRING policy takes both, and its own replies carry the NUL).
/// </summary>
public class RouteNetlinkRequestTests : IDisposable
{
    private const ushort RequestAck = 0x0005;               // NLM_F_REQUEST|NLM_F_ACK
    private const ushort RequestAckCreateExcl = 0x0605;     // ... |NLM_F_CREATE|NLM_F_EXCL
    private const ushort RequestAckCreateAppend = 0x0C05;   // ... |NLM_F_CREATE|NLM_F_APPEND
    private const ushort RequestAckCreateReplace = 0x0505;  // ... |NLM_F_CREATE|NLM_F_REPLACE

    private readonly FakeNetlinkTransport _kernel = new();
    private readonly RouteNetlink _nl;

    public RouteNetlinkRequestTests() => _nl = new RouteNetlink(_kernel, NetlinkSocket.Open(NetlinkProtocol.Route));

    public void Dispose() => _nl.Dispose();

    [Fact]
    public void SetLinkUp_MatchesIpLinkSetUp()
    {
        _kernel.Reply(Replies.Ack);
        _nl.SetLinkUp(4);
        // strace: ip link set v0 up
        AssertSent(0x10, RequestAck, "00000000 04000000 01000000 01000000");
    }

    [Fact]
    public void SetLinkDown_ChangesOnlyTheUpFlag()
    {
        _kernel.Reply(Replies.Ack);
        _nl.SetLinkUp(4, up: false);
        AssertSent(0x10, RequestAck, "00000000 04000000 00000000 01000000");
    }

    [Fact]
    public void AddBridge_WithMtu_MatchesIpLinkAddTypeBridge()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AddBridge("br9", 1400, vlanFiltering: false);
        // strace: ip link add br9 mtu 1400 type bridge
        AssertSent(0x10, RequestAckCreateExcl,
            "00000000 00000000 00000000 00000000" +
            "0800 0400 78050000" +                          // IFLA_MTU 1400
            "0800 0300 62723900" +                          // IFLA_IFNAME "br9"
            "1000 1200 0b00 0100 62726964676500 00");        // IFLA_LINKINFO { IFLA_INFO_KIND "bridge" }
    }

    [Fact]
    public void AddBridge_WithVlanFiltering_MatchesIpLinkAddVlanFiltering1()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AddBridge("brv", null, vlanFiltering: true);
        // strace: ip link add brv type bridge vlan_filtering 1
        AssertSent(0x10, RequestAckCreateExcl,
            "00000000 00000000 00000000 00000000" +
            "0800 0300 62727600" +
            "1c00 1200 0b00 0100 62726964676500 00" +
            "0c00 0200 0500 0700 01 000000");               // IFLA_INFO_DATA { IFLA_BR_VLAN_FILTERING 1 }
    }

    [Fact]
    public void AddVeth_WithPeerNamespaceFd_MatchesIpLinkAddVethPeerNetns()
    {
        _kernel.Reply(Replies.Ack);
        using var ns = new SafeFileDescriptor(4, ownsHandle: false);
        _nl.AddVeth(new VethRequest
        {
            Name = "va", PeerName = "vb", PeerNamespace = ns, Mtu = 1400,
            Mac = PhysicalAddress.Parse("02-00-00-00-00-01"), PeerMac = PhysicalAddress.Parse("02-00-00-00-00-02"),
        });
        // strace: ip link add va mtu 1400 address 02:00:00:00:00:01 type veth
        //           peer name vb mtu 1400 address 02:00:00:00:00:02 netns <fd 4>
        AssertSent(0x10, RequestAckCreateExcl,
            "00000000 00000000 00000000 00000000" +
            "0800 0400 78050000" +                          // IFLA_MTU
            "0a00 0100 020000000001 0000" +                 // IFLA_ADDRESS
            "0700 0300 766100 00" +                         // IFLA_IFNAME "va"
            "4c00 1200 0900 0100 7665746800 000000" +       // IFLA_LINKINFO { IFLA_INFO_KIND "veth"
            "3c00 0200 3800 0100" +                         //   IFLA_INFO_DATA { VETH_INFO_PEER {
            "00000000 00000000 00000000 00000000" +         //     ifinfomsg
            "0800 0400 78050000" +                          //     IFLA_MTU
            "0a00 0100 020000000002 0000" +                 //     IFLA_ADDRESS
            "0800 1c00 04000000" +                          //     IFLA_NET_NS_FD 4
            "0700 0300 766200 00");                         //     IFLA_IFNAME "vb" } } }
    }

    [Fact]
    public void SetBridgePort_MatchesBridgeLinkSetHairpinIsolated()
    {
        _kernel.Reply(Replies.Ack);
        _nl.SetBridgePort(4, hairpin: true, isolated: true);
        // strace: bridge link set dev v0 hairpin on isolated on  (RTM_SETLINK, AF_BRIDGE)
        AssertSent(0x13, RequestAck,
            "07000000 04000000 00000000 00000000" +
            "1400 0c80" +                                   // IFLA_PROTINFO|NLA_F_NESTED
            "0500 0400 01000000" +                          // IFLA_BRPORT_MODE 1 (hairpin)
            "0500 2100 01000000");                          // IFLA_BRPORT_ISOLATED 1
    }

    [Fact]
    public void AddAddress_IPv4_CarriesLocalAddressBroadcastAndFlags()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AddAddress(4, IPPrefix.Parse("10.1.2.3/24"), AddressFlags.NoDad);
        AssertSent(0x14, RequestAckCreateExcl,
            "02 18 00 00 04000000" +                        // ifaddrmsg AF_INET /24 scope universe, index 4
            "0800 0200 0a010203" +                          // IFA_LOCAL
            "0800 0100 0a010203" +                          // IFA_ADDRESS
            "0800 0400 0a0102ff" +                          // IFA_BROADCAST 10.1.2.255
            "0800 0800 02000000");                          // IFA_FLAGS IFA_F_NODAD
    }

    [Fact]
    public void AddAddress_IPv6_HasOnlyAddressAndNoBroadcast()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AddAddress(4, IPPrefix.Parse("fd00::5/64"));
        AssertSent(0x14, RequestAckCreateExcl,
            "0a 40 00 00 04000000" +
            "1400 0100 fd000000000000000000000000000005");
    }

    [Fact]
    public void AddRoute_WithGatewayMetricsPriority_MatchesIpRouteAdd()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AddRoute(new RouteRequest
        {
            Dst = IPPrefix.Parse("10.9.0.0/16"), Gateway = IPAddress.Parse("10.1.2.1"), OutIndex = 4,
            Priority = 100, Mtu = 1400, AdvMss = 1360,
        });
        // strace: ip route add 10.9.0.0/16 via 10.1.2.1 dev v0 metric 100 mtu 1400 advmss 1360
        AssertSent(0x18, RequestAckCreateExcl,
            "02 10 00 00 fe 03 00 01 00000000" +            // AF_INET /16, main, boot, universe, unicast
            "0800 0100 0a090000" +                          // RTA_DST
            "0800 0500 0a010201" +                          // RTA_GATEWAY
            "0800 0600 64000000" +                          // RTA_PRIORITY 100
            "0800 0400 04000000" +                          // RTA_OIF 4
            "1400 0800 0800 0200 78050000 0800 0800 50050000"); // RTA_METRICS { RTAX_MTU, RTAX_ADVMSS }
    }

    [Fact]
    public void AppendRoute_InBigTable_UsesAppendFlagRtaTableAndLinkScope()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AddRoute(new RouteRequest { Dst = IPPrefix.Parse("0.0.0.0/0"), OutIndex = 4, Table = 1000 }, append: true);
        AssertSent(0x18, RequestAckCreateAppend,
            "02 00 00 00 00 03 fd 01 00000000" +            // /0 (no RTA_DST), rtm_table unspec, scope link
            "0800 0400 04000000" +                          // RTA_OIF
            "0800 0f00 e8030000");                          // RTA_TABLE 1000
    }

    [Fact]
    public void DeleteRoute_MatchesAnyProtocolTypeAndScope()
    {
        _kernel.Reply(Replies.Ack);
        _nl.DeleteRoute(new RouteRequest { Dst = IPPrefix.Parse("10.9.0.0/16") });
        AssertSent(0x19, RequestAck,
            "02 10 00 00 fe 00 ff 00 00000000" +
            "0800 0100 0a090000");
    }

    [Fact]
    public void GetLinkByName_AsksForOneLinkWithoutStatistics()
    {
        _kernel.Reply(Replies.Ack);
        Assert.Null(_nl.GetLink("eth0"));
        AssertSent(0x12, RequestAck,
            "00000000 00000000 00000000 00000000" +
            "0800 1d00 08000000" +                          // IFLA_EXT_MASK RTEXT_FILTER_SKIP_STATS
            "0900 0300 6574683000 000000");                 // IFLA_IFNAME "eth0"
    }

    [Fact]
    public void ListLinks_IsADumpWithoutAck()
    {
        _kernel.Reply(seq => Replies.Done(seq));
        Assert.Empty(_nl.ListLinks());
        AssertSent(0x12, 0x0301,
            "00000000 00000000 00000000 00000000" +
            "0800 1d00 08000000");
    }

    [Fact]
    public void AddVxlan_MatchesIpLinkAddTypeVxlanNolearning()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AddVxlan(new VxlanRequest { Name = "vx0", Vni = 42, Port = 8472, Local = IPAddress.Parse("10.99.0.1"), ParentIndex = 3 });
        // strace: ip link add vx0 type vxlan id 42 dstport 8472 nolearning local 10.99.0.1 dev d0  (d0 = 3)
        AssertSent(0x10, RequestAckCreateExcl,
            "00000000 00000000 00000000 00000000" +
            "0800 0300 76783000" +                          // IFLA_IFNAME "vx0"
            "3c00 1200 0a00 0100 76786c616e00 0000" +       // IFLA_LINKINFO { IFLA_INFO_KIND "vxlan"
            "2c00 0200" +                                   //   IFLA_INFO_DATA {
            "0800 0300 03000000" +                          //     IFLA_VXLAN_LINK 3
            "0800 0100 2a000000" +                          //     IFLA_VXLAN_ID 42
            "0800 0400 0a630001" +                          //     IFLA_VXLAN_LOCAL 10.99.0.1
            "0500 0700 00 000000" +                         //     IFLA_VXLAN_LEARNING 0
            "0600 0f00 2118 0000");                         //     IFLA_VXLAN_PORT 8472, big-endian } }
    }

    [Fact]
    public void AddVxlan_WithIPv6LocalAndLearning_UsesLocal6()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AddVxlan(new VxlanRequest { Name = "vx6", Vni = 7, Port = 4789, Local = IPAddress.Parse("fd00::1"), Learning = true, Mtu = 1450 });
        AssertSent(0x10, RequestAckCreateExcl,
            "00000000 00000000 00000000 00000000" +
            "0800 0400 aa050000" +                          // IFLA_MTU 1450
            "0800 0300 76783600" +
            "4000 1200 0a00 0100 76786c616e00 0000" +
            "3000 0200" +
            "0800 0100 07000000" +                          // IFLA_VXLAN_ID 7 (no IFLA_VXLAN_LINK)
            "1400 1100 fd000000000000000000000000000001" +  // IFLA_VXLAN_LOCAL6
            "0500 0700 01 000000" +
            "0600 0f00 12b5 0000");                         // 4789
    }

    [Fact]
    public void ReplaceNeighbor_IPv4_MatchesIpNeighReplaceNudPermanent()
    {
        _kernel.Reply(Replies.Ack);
        _nl.ReplaceNeighbor(4, IPAddress.Parse("10.244.2.0"), PhysicalAddress.Parse("02-11-22-33-44-55"));
        // strace: ip neigh replace 10.244.2.0 lladdr 02:11:22:33:44:55 dev vx0 nud permanent
        AssertSent(0x1c, RequestAckCreateReplace,
            "02 00 0000 04000000 8000 00 00" +              // ndmsg AF_INET, index 4, NUD_PERMANENT
            "0800 0100 0af40200" +                          // NDA_DST
            "0a00 0200 021122334455 0000");                 // NDA_LLADDR
    }

    [Fact]
    public void ReplaceNeighbor_IPv6_MatchesIp6NeighReplace()
    {
        _kernel.Reply(Replies.Ack);
        _nl.ReplaceNeighbor(4, IPAddress.Parse("fd00:2::1"), PhysicalAddress.Parse("02-11-22-33-44-56"));
        // strace: ip -6 neigh replace fd00:2::1 lladdr 02:11:22:33:44:56 dev vx0 nud permanent
        AssertSent(0x1c, RequestAckCreateReplace,
            "0a 00 0000 04000000 8000 00 00" +
            "1400 0100 fd000002000000000000000000000001" +
            "0a00 0200 021122334456 0000");
    }

    [Fact]
    public void DeleteNeighbor_MatchesIpNeighDel()
    {
        _kernel.Reply(Replies.Ack);
        _nl.DeleteNeighbor(4, IPAddress.Parse("10.244.2.0"));
        // strace: ip neigh del 10.244.2.0 dev vx0
        AssertSent(0x1d, RequestAck, "02 00 0000 04000000 8000 00 00" + "0800 0100 0af40200");
    }

    [Fact]
    public void AppendFdb_MatchesBridgeFdbAppendSelfPermanent()
    {
        _kernel.Reply(Replies.Ack);
        _nl.AppendFdb(4, PhysicalAddress.Parse("00-00-00-00-00-00"), IPAddress.Parse("10.99.0.2"));
        // strace: bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.99.0.2 self permanent
        AssertSent(0x1c, RequestAckCreateAppend,
            "07 00 0000 04000000 c000 02 00" +              // AF_BRIDGE, NUD_PERMANENT|NUD_NOARP, NTF_SELF
            "0a00 0200 000000000000 0000" +                 // NDA_LLADDR
            "0800 0100 0a630002");                          // NDA_DST
    }

    [Fact]
    public void ReplaceFdb_MatchesBridgeFdbReplaceSelfPermanent()
    {
        _kernel.Reply(Replies.Ack);
        _nl.ReplaceFdb(4, PhysicalAddress.Parse("02-11-22-33-44-55"), IPAddress.Parse("10.99.0.3"));
        // strace: bridge fdb replace 02:11:22:33:44:55 dev vx0 dst 10.99.0.3 self permanent
        AssertSent(0x1c, RequestAckCreateReplace,
            "07 00 0000 04000000 c000 02 00" + "0a00 0200 021122334455 0000" + "0800 0100 0a630003");
    }

    [Fact]
    public void DeleteFdb_MatchesBridgeFdbDelSelf()
    {
        _kernel.Reply(Replies.Ack);
        _nl.DeleteFdb(4, PhysicalAddress.Parse("02-11-22-33-44-55"), IPAddress.Parse("10.99.0.3"));
        // strace: bridge fdb del 02:11:22:33:44:55 dev vx0 dst 10.99.0.3 self
        AssertSent(0x1d, RequestAck,
            "07 00 0000 04000000 c000 02 00" + "0a00 0200 021122334455 0000" + "0800 0100 0a630003");
    }

    [Fact]
    public void ListNeighbors_IsADumpFilteredByIfindex()
    {
        _kernel.Reply(seq => Replies.Done(seq));
        Assert.Empty(_nl.ListNeighbors(4, System.Net.Sockets.AddressFamily.InterNetwork));
        // strace: ip -4 neigh show dev vx0
        AssertSent(0x1e, 0x0301, "02 00 0000 00000000 0000 00 00" + "0800 0800 04000000");
    }

    private void AssertSent(ushort type, ushort flags, string payloadHex)
    {
        Assert.Single(_kernel.Sent);
        SentRequest.AssertLast(_kernel, type, flags, payloadHex);
    }
}
