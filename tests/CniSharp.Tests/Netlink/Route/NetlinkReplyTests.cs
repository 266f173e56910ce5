using System.Net.NetworkInformation;
using CniSharp.Interop;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Tests.Netlink.Route;

/// <summary>How replies end a request: ACKs, errors with and without extended acks, dumps, stale replies.</summary>
public class NetlinkReplyTests : IDisposable
{
    private readonly FakeNetlinkTransport _kernel = new();
    private readonly RouteNetlink _nl;

    public NetlinkReplyTests() => _nl = new RouteNetlink(_kernel, NetlinkSocket.Open(NetlinkProtocol.Route));

    public void Dispose() => _nl.Dispose();

    [Fact]
    public void Ack_CompletesTheRequest()
    {
        _kernel.Reply(Replies.Ack);
        _nl.SetMtu(4, 1400);
        Assert.Single(_kernel.Sent);
    }

    [Fact]
    public void EexistWithExtAck_ThrowsWithErrnoTextAndOperation()
    {
        _kernel.Reply(seq => Replies.Error(seq, (int)Errno.EEXIST, "Link already exists"));
        var error = Assert.Throws<NetlinkException>(() => _nl.AddBridge("cni0", null, false));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("Link already exists", error.ExtAck);
        Assert.Equal("add bridge \"cni0\"", error.Operation);
        Assert.Equal("add bridge \"cni0\": File exists (EEXIST): Link already exists", error.Message);
    }

    [Fact]
    public void ErrorEchoingTheWholeRequest_FindsExtAckAfterTheEcho()
    {
        // Without NLM_F_CAPPED the request payload sits between struct nlmsgerr and the TLVs.
        _kernel.Reply(seq => Replies.Error(seq, (int)Errno.EOPNOTSUPP, "Unknown device type", capped: false, requestPayloadLength: 32));
        var error = Assert.Throws<NetlinkException>(() => _nl.AddBridge("cni0", null, true));
        Assert.Equal(Errno.EOPNOTSUPP, error.Errno);
        Assert.Equal("Unknown device type", error.ExtAck);
    }

    [Fact]
    public void CappedErrorWithoutTlvs_HasNoExtAck()
    {
        _kernel.Reply(seq => Replies.Error(seq, (int)Errno.EPERM));
        var error = Assert.Throws<NetlinkException>(() => _nl.AddBridge("cni0", null, false));
        Assert.Equal(Errno.EPERM, error.Errno);
        Assert.Null(error.ExtAck);
    }

    [Fact]
    public void ErrorOnIndexVerb_NamesTheLinkWhenItCanBeResolved()
    {
        _kernel.Reply(seq => Replies.Error(seq, (int)Errno.EINVAL, "mtu less than device minimum"))
            .Reply(seq => Replies.Datagram(Replies.NewLink(seq, 7, "eth0", NlmFlags.None), Replies.Ack(seq)));
        var error = Assert.Throws<NetlinkException>(() => _nl.SetMtu(7, 10));
        Assert.Equal("set \"eth0\" mtu 10", error.Operation);
        Assert.Equal(Errno.EINVAL, error.Errno);
    }

    [Fact]
    public void GetLink_Enodev_IsNull()
    {
        _kernel.Reply(seq => Replies.Error(seq, (int)Errno.ENODEV));
        Assert.Null(_nl.GetLink("missing0"));
    }

    [Fact]
    public void StaleAndForeignReplies_AreSkipped()
    {
        _kernel
            .Reply(seq => Replies.Error(seq - 1, (int)Errno.EEXIST))     // left over from an earlier request
            .Reply(seq => Replies.Error(seq, (int)Errno.EEXIST), sender: 99) // not from the kernel
            .Reply(Replies.Ack);
        _nl.SetLinkUp(4);
    }

    [Fact]
    public void MultipartDump_CollectsEveryPartUntilDone()
    {
        _kernel
            .Reply(seq => Replies.Datagram(Replies.NewLink(seq, 1, "lo"), Replies.NewLink(seq, 2, "eth0")))
            .Reply(seq => Replies.Datagram(Replies.NewLink(seq, 3, "eth1"), Replies.Done(seq)));
        Assert.Equal(["lo", "eth0", "eth1"], _nl.ListLinks().Select(l => l.Name));
    }

    [Fact]
    public void InterruptedDump_IsRepeatedAndOnlyTheCleanAttemptCounts()
    {
        const NlmFlags intr = NlmFlags.Multi | NlmFlags.DumpIntr;
        _kernel
            .Reply(seq => Replies.Datagram(Replies.NewLink(seq, 1, "lo", intr), Replies.NewLink(seq, 2, "stale0", intr)))
            .Reply(seq => Replies.Done(seq, intr))
            .Reply(seq => Replies.Datagram(Replies.NewLink(seq, 1, "lo"), Replies.NewLink(seq, 2, "eth0"), Replies.Done(seq)));
        Assert.Equal(["lo", "eth0"], _nl.ListLinks().Select(l => l.Name));
        Assert.Equal(2, _kernel.Sent.Count);
        Assert.Equal(_kernel.Sent[0].AsSpan(16).ToArray(), _kernel.Sent[1].AsSpan(16).ToArray());
    }

    [Fact]
    public void DumpInterruptedEveryTime_FailsClearlyAfterFiveAttempts()
    {
        for (int i = 0; i < NetlinkSession.MaxDumpAttempts; i++)
            _kernel.Reply(seq => Replies.Datagram(Replies.NewLink(seq, 1, "lo", NlmFlags.Multi | NlmFlags.DumpIntr), Replies.Done(seq, NlmFlags.Multi | NlmFlags.DumpIntr)));
        var error = Assert.Throws<NetlinkException>(() => _nl.ListLinks());
        Assert.Equal(Errno.EINTR, error.Errno);
        Assert.Contains("5 times", error.ExtAck);
        Assert.Equal(5, _kernel.Sent.Count);
    }

    [Fact]
    public void DoneCarryingAnError_FailsTheDump()
    {
        _kernel.Reply(seq => Replies.Done(seq, NlmFlags.Multi, (int)Errno.ENOBUFS));
        Assert.Equal(Errno.ENOBUFS, Assert.Throws<NetlinkException>(() => _nl.ListLinks()).Errno);
    }

    [Fact]
    public void CapturedVethBridgePort_ParsesIntoLinkInfo()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.WithSequence(CapturedReplies.NewLinkV0, seq), Replies.Ack(seq)));
        LinkInfo link = _nl.GetLink("v0")!;

        Assert.Equal(4, link.Index);
        Assert.Equal("v0", link.Name);
        Assert.Equal("veth", link.Kind);
        Assert.Equal(1450, link.Mtu);
        Assert.Equal(PhysicalAddress.Parse("7E-76-4A-B7-24-9B"), link.Mac);
        Assert.Equal(LinkFlags.Up | LinkFlags.Broadcast | LinkFlags.Multicast, link.Flags & (LinkFlags.Up | LinkFlags.Broadcast | LinkFlags.Multicast));
        Assert.True(link.IsUp);
        Assert.Equal(OperState.LowerLayerDown, link.OperState);
        Assert.Equal(2, link.MasterIndex);
        Assert.Equal(3, link.ParentIndex);
        Assert.Equal("testalias", link.Alias);
        Assert.True(link.Hairpin);
        Assert.True(link.Isolated);
        Assert.Null(link.VlanFiltering);
    }

    [Fact]
    public void CapturedBridge_ParsesKindAndVlanFiltering()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.WithSequence(CapturedReplies.NewLinkBr0, seq), Replies.Ack(seq)));
        LinkInfo link = _nl.GetLink(2)!;

        Assert.Equal("br0", link.Name);
        Assert.Equal("bridge", link.Kind);
        Assert.False(link.VlanFiltering);
        Assert.Equal(OperState.Down, link.OperState);
        Assert.False(link.IsUp);
        Assert.Null(link.MasterIndex);
        Assert.Null(link.Hairpin);
    }

    [Fact]
    public void CapturedNeighbourDump_ParsesAddressMacAndState()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.WithSequence(CapturedReplies.NewNeighVx0, seq), Replies.Done(seq)));
        NeighborInfo entry = Assert.Single(_nl.ListNeighbors(4, System.Net.Sockets.AddressFamily.InterNetwork));

        Assert.Equal(new NeighborInfo(4, System.Net.IPAddress.Parse("10.244.2.0"), PhysicalAddress.Parse("02-11-22-33-44-55"),
            NeighborState.Permanent, NeighborFlags.None), entry);
    }

    [Fact]
    public void CapturedFdbDump_ParsesEveryEntryOfTheLink_AndSkipsOtherLinks()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.WithSequence(CapturedReplies.NewNeighFdbVx0, seq), Replies.Done(seq)));
        Assert.Equal(
            [("02:11:22:33:44:55", "10.99.0.3"), ("00:00:00:00:00:00", "10.99.0.2")],
            _nl.ListFdb(4).Select(e => (MacText(e.Mac!), e.Address!.ToString())));

        _kernel.Reply(seq => Replies.Datagram(Replies.WithSequence(CapturedReplies.NewNeighFdbVx0, seq), Replies.Done(seq)));
        Assert.Empty(_nl.ListFdb(5));
    }

    private static string MacText(PhysicalAddress mac) => string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2")));
}
