using CniSharp.Interop;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Tests.Netlink;

/// <summary>Multi-message requests: sequence numbering, one answer per acknowledged message, failures located.</summary>
public class NetlinkSessionTests : IDisposable
{
    private readonly FakeNetlinkTransport _kernel = new();
    private readonly NetlinkSession _session;

    public NetlinkSessionTests() => _session = new NetlinkSession(_kernel);

    public void Dispose() => _session.Dispose();

    [Fact]
    public void EveryAcknowledgedMessageAnswered_Succeeds_AndMessagesGetConsecutiveSequences()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.Ack(seq + 1), Replies.Ack(seq + 2)));
        NetlinkAck ack = _session.ExecuteAll(ThreeMessages());

        Assert.False(ack.Failed);
        byte[] sent = Assert.Single(_kernel.Sent);
        Assert.Equal([_kernel.LastSequence, _kernel.LastSequence + 1, _kernel.LastSequence + 2], SequencesOf(sent));
    }

    [Fact]
    public void RefusedMessage_IsNamedByItsIndex()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.Ack(seq + 1), Replies.Error(seq + 2, (int)Errno.EEXIST, "Exists")));
        NetlinkAck ack = _session.ExecuteAll(ThreeMessages());

        Assert.Equal((int)Errno.EEXIST, ack.Errno);
        Assert.Equal("Exists", ack.ExtAck);
        Assert.Equal(2, ack.Message);
    }

    [Fact]
    public void FailureOfAnUnacknowledgedMessage_ReportedBeforeTheAcks_StillFailsTheRequest()
    {
        // nfnetlink reports a failed commit against the batch-begin message, then delivers the per-message ACKs.
        _kernel.Reply(seq => Replies.Error(seq, (int)Errno.ENOMEM))
            .Reply(seq => Replies.Datagram(Replies.Ack(seq + 1), Replies.Ack(seq + 2)));
        NetlinkAck ack = _session.ExecuteAll(ThreeMessages());

        Assert.Equal((int)Errno.ENOMEM, ack.Errno);
        Assert.Equal(0, ack.Message);
    }

    [Fact]
    public void StaleAndForeignAnswers_AreSkipped()
    {
        _kernel.Reply(seq => Replies.Error(seq - 1, (int)Errno.EEXIST))
            .Reply(seq => Replies.Error(seq + 1, (int)Errno.EEXIST), sender: 99)
            .Reply(seq => Replies.Datagram(Replies.Ack(seq + 1), Replies.Ack(seq + 2), Replies.Error(seq + 3, (int)Errno.EINVAL)));
        Assert.False(_session.ExecuteAll(ThreeMessages()).Failed);
    }

    [Fact]
    public void AMessageLeftUnanswered_FailsWithEprotoInsteadOfWaiting()
    {
        _kernel.Reply(seq => Replies.Ack(seq + 1));
        NetlinkAck ack = _session.ExecuteAll(ThreeMessages());

        Assert.Equal((int)Errno.EPROTO, ack.Errno);
        Assert.Equal(2, ack.Message);
        Assert.Contains("1 acknowledged message(s) unanswered", ack.ExtAck);
    }

    [Fact]
    public void SequencesContinueAcrossRequests()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.Ack(seq + 1), Replies.Ack(seq + 2)))
            .Reply(seq => Replies.Datagram(Replies.Ack(seq + 1), Replies.Ack(seq + 2)));
        _session.ExecuteAll(ThreeMessages());
        uint first = _kernel.LastSequence;
        _session.ExecuteAll(ThreeMessages());
        Assert.Equal(first + 3, _kernel.LastSequence);
    }

    // A frame without ACK (like a batch begin), then two acknowledged messages.
    private NetlinkMessageWriter ThreeMessages()
    {
        NetlinkMessageWriter w = _session.BeginMany();
        w.Append(NlMsgType.MinType, NlmFlags.Request);
        w.Append(RtmType.NewLink, NlmFlags.Request | NlmFlags.Ack);
        w.WriteUInt32(LinkAttr.Mtu, 1400);
        w.Append(RtmType.NewLink, NlmFlags.Request | NlmFlags.Ack);
        return w;
    }

    private static List<uint> SequencesOf(byte[] datagram)
    {
        var sequences = new List<uint>();
        for (int offset = 0; offset < datagram.Length; offset += BitConverter.ToInt32(datagram, offset))
            sequences.Add(BitConverter.ToUInt32(datagram, offset + 8));
        return sequences;
    }
}
