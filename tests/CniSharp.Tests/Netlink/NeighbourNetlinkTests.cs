using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using CniSharp.Netlink;

namespace CniSharp.Tests.Netlink;

/// <summary>
/// The neighbour verbs: request bytes as ip(8) sends them (strace -xx -e trace=sendmsg of the same command) and a
/// reply captured from kernel 6.18 (an RTM_GETNEIGH dump of one link, read with a raw netlink socket).
/// </summary>
public class NeighbourNetlinkTests : IDisposable
{
    private const ushort RequestAckReplaceCreate = 0x0505;  // NLM_F_REQUEST|NLM_F_ACK|NLM_F_REPLACE|NLM_F_CREATE
    private const ushort RequestDump = 0x0301;              // NLM_F_REQUEST|NLM_F_DUMP

    /// <summary>169.254.1.1 lladdr 02:00:00:00:00:01 PERMANENT on ifindex 3, as the kernel dumped it.</summary>
    private const string CapturedIPv4Neighbour =
        "4c0000001c002200010000006c210000" +
        "02000000030000008000000308000100a9fe01010a00020002000000000100000800040000000000" +
        "140003006a0000006a0000006a00000000000000";

    private readonly FakeNetlinkTransport _kernel = new();
    private readonly RouteNetlink _nl;

    public NeighbourNetlinkTests() => _nl = new RouteNetlink(_kernel, NetlinkSocket.Open());

    public void Dispose() => _nl.Dispose();

    [Fact]
    public void NdMsg_Is12Bytes() => Assert.Equal(12, Unsafe.SizeOf<NdMsg>());

    [Fact]
    public void SetPermanentNeighbour_IPv4_MatchesIpNeighReplaceNudPermanent()
    {
        _kernel.Reply(Replies.Ack);
        _nl.SetPermanentNeighbour(3, IPAddress.Parse("169.254.1.1"), PhysicalAddress.Parse("02-00-00-00-00-01"));
        // strace: ip neigh replace 169.254.1.1 lladdr 02:00:00:00:00:01 dev d0 nud permanent
        AssertSent(0x1c, RequestAckReplaceCreate,
            "02 00 0000 03000000 8000 00 00" +              // ndmsg: AF_INET, ifindex 3, NUD_PERMANENT
            "0800 0100 a9fe0101" +                          // NDA_DST 169.254.1.1
            "0a00 0200 020000000001 0000");                 // NDA_LLADDR 02:00:00:00:00:01
    }

    [Fact]
    public void SetPermanentNeighbour_IPv6_MatchesIpNeighReplaceNudPermanent()
    {
        _kernel.Reply(Replies.Ack);
        _nl.SetPermanentNeighbour(3, IPAddress.Parse("fe80::1"), PhysicalAddress.Parse("02-00-00-00-00-01"));
        // strace: ip -6 neigh replace fe80::1 lladdr 02:00:00:00:00:01 dev d0 nud permanent
        AssertSent(0x1c, RequestAckReplaceCreate,
            "0a 00 0000 03000000 8000 00 00" +
            "1400 0100 fe800000000000000000000000000001" +
            "0a00 0200 020000000001 0000");
    }

    [Fact]
    public void ListNeighbours_IsADumpFilteredByIfindex_LikeIpNeighShowDev()
    {
        _kernel.Reply(seq => Replies.Done(seq));
        Assert.Empty(_nl.ListNeighbours(3, AddressFamily.InterNetwork));
        // strace: ip neigh show dev d0 (ip asks AF_UNSPEC; we ask one family)
        AssertSent(0x1e, RequestDump,
            "02 00 0000 00000000 0000 00 00" +
            "0800 0800 03000000");                          // NDA_IFINDEX 3
    }

    [Fact]
    public void ListNeighbours_ParsesTheKernelsReply_AndSkipsOtherLinksAndFamilies()
    {
        byte[] captured = Convert.FromHexString(CapturedIPv4Neighbour);
        _kernel.Reply(seq => Replies.Datagram(Replies.WithSequence(captured, seq), Replies.Done(seq)));
        NeighbourInfo neighbour = Assert.Single(_nl.ListNeighbours(3, AddressFamily.InterNetwork));
        Assert.Equal(new NeighbourInfo(3, IPAddress.Parse("169.254.1.1"), PhysicalAddress.Parse("02-00-00-00-00-01"), NeighbourState.Permanent), neighbour);

        _kernel.Reply(seq => Replies.Datagram(Replies.WithSequence(captured, seq), Replies.Done(seq)));
        Assert.Empty(_nl.ListNeighbours(4, AddressFamily.InterNetwork));
        _kernel.Reply(seq => Replies.Datagram(Replies.WithSequence(captured, seq), Replies.Done(seq)));
        Assert.Empty(_nl.ListNeighbours(3, AddressFamily.InterNetworkV6));
    }

    private void AssertSent(ushort type, ushort flags, string payloadHex) => SentRequest.AssertLast(_kernel, type, flags, payloadHex);
}
