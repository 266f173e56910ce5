using System.Buffers.Binary;
using System.Text;
using CniSharp.Netlink;

namespace CniSharp.Tests.Netlink.Netfilter;

/// <summary>
/// A NETLINK_NETFILTER peer for the nf_tables tests: it records every request, ACKs each acknowledged message
/// of a batch (unless told to refuse one), answers set dumps from captured replies (ENOENT for sets it has
/// none for), and ACKs single requests such as a conntrack delete.
/// </summary>
internal sealed class FakeNftKernel : INetlinkTransport
{
    private readonly Queue<byte[]> _replies = new();
    private readonly Queue<(int Message, int Errno)> _refusals = new();

    public uint PortId => 4242;

    /// <summary>Every datagram sent, split into its messages.</summary>
    public List<List<SentMessage>> Requests { get; } = [];

    /// <summary>Captured dump replies by set name.</summary>
    public Dictionary<string, string> Dumps { get; } = new(StringComparer.Ordinal);

    /// <summary>The next batch fails: message <paramref name="message"/> (1 = the first after batch-begin) gets <paramref name="errno"/>.</summary>
    public FakeNftKernel Refuse(int message, int errno)
    {
        _refusals.Enqueue((message, errno));
        return this;
    }

    /// <summary>The nf_tables messages of the last batch (its framing left out).</summary>
    public List<SentMessage> LastBatch => Requests.Last(r => r[0].Type == 0x10).Where(m => m.Type is not (0x10 or 0x11)).ToList();

    public void Send(ReadOnlySpan<byte> datagram)
    {
        var messages = new List<SentMessage>();
        for (int offset = 0; offset < datagram.Length;)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(datagram[offset..]);
            messages.Add(new SentMessage(
                BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 4)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 6)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(datagram[(offset + 8)..]),
                datagram[(offset + 16)..(offset + length)].ToArray()));
            offset += (length + 3) & ~3;
        }
        Requests.Add(messages);
        if (messages[0].Type == 0x10)
            AnswerBatch(messages);
        else if (messages[0].Type == 0x0a0d)
            AnswerDump(messages[0]);
        else
            _replies.Enqueue(Replies.Ack(messages[0].Sequence));
    }

    public ReadOnlySpan<byte> Receive(out uint senderPortId)
    {
        senderPortId = 0;
        return _replies.Count > 0 ? _replies.Dequeue() : throw new InvalidOperationException("the code under test waits for a reply the fake has none for");
    }

    public bool TryReceiveQueued(out ReadOnlySpan<byte> datagram, out uint senderPortId)
    {
        senderPortId = 0;
        datagram = _replies.Count > 0 ? _replies.Dequeue() : default;
        return !datagram.IsEmpty;
    }

    public void Dispose() { }

    private void AnswerBatch(List<SentMessage> messages)
    {
        (int Message, int Errno) refusal = _refusals.Count > 0 ? _refusals.Dequeue() : (-1, 0);
        var answers = new List<byte[]>();
        for (int i = 0; i < messages.Count; i++)
        {
            bool refused = i == refusal.Message;
            if ((messages[i].Flags & (ushort)NlmFlags.Ack) != 0 || refused)
                answers.Add(Replies.Error(messages[i].Sequence, refused ? refusal.Errno : 0));
        }
        _replies.Enqueue(Replies.Datagram([.. answers]));
    }

    private void AnswerDump(SentMessage request)
    {
        string set = SetNameOf(request.Payload);
        if (!Dumps.TryGetValue(set, out string? captured))
        {
            _replies.Enqueue(Replies.Error(request.Sequence, (int)CniSharp.Interop.Errno.ENOENT));
            return;
        }
        _replies.Enqueue(Replies.Datagram(Replies.WithSequence(Convert.FromHexString(captured), request.Sequence), Replies.Done(request.Sequence)));
    }

    // NFTA_SET_ELEM_LIST_SET (2) after the nfgenmsg.
    private static string SetNameOf(byte[] payload)
    {
        for (int offset = 4; offset + 4 <= payload.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(offset));
            if (BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(offset + 2)) == 2)
                return Encoding.ASCII.GetString(payload, offset + 4, length - 5);
            offset += (length + 3) & ~3;
        }
        return "";
    }

    public sealed record SentMessage(ushort Type, ushort Flags, uint Sequence, byte[] Payload)
    {
        public string Shape => NftMessageShape.Of(Type, Payload);
    }
}
