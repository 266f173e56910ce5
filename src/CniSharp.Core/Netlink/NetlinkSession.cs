namespace CniSharp.Netlink;

/// <summary>
/// The request/reply protocol over one netlink socket, whatever the family: one reused request buffer,
/// sequence numbers, reply matching (seq and sender), NLMSG_ERROR/NLMSG_DONE decoding, whole-dump retries on
/// NLM_F_DUMP_INTR, and requests of several messages (an nfnetlink batch) answered message by message.
/// </summary>
internal sealed class NetlinkSession : IDisposable
{
    /// <summary>As containernetworking/plugins' netlinksafe: past this, a busy table is reported, not retried.</summary>
    public const int MaxDumpAttempts = 5;

    private readonly INetlinkTransport _transport;
    private readonly NetlinkMessageWriter _writer = new();
    private uint _sequence;

    public NetlinkSession(INetlinkTransport transport) => _transport = transport;

    /// <summary>
    /// Starts a one-message request in the shared buffer. NLM_F_ACK is added to every non-dump request: without
    /// it a successful change gets no reply at all, and the reply loop would have no terminator to wait for.
    /// </summary>
    public NetlinkMessageWriter Begin<TType>(TType type, NlmFlags flags) where TType : unmanaged, Enum
    {
        if ((flags & NlmFlags.Dump) != NlmFlags.Dump)
            flags |= NlmFlags.Ack;
        _writer.Begin(type, flags | NlmFlags.Request);
        return _writer;
    }

    /// <summary>
    /// Starts an empty multi-message request in the shared buffer; the family appends its messages with the
    /// flags it needs (see <see cref="ExecuteAll"/> for which ones get answered).
    /// </summary>
    public NetlinkMessageWriter BeginMany()
    {
        _writer.Reset();
        return _writer;
    }

    /// <summary>Sends a change request and waits for its ACK or error.</summary>
    public NetlinkAck Execute(NetlinkMessageWriter request) =>
        Exchange<byte, byte>(request, 0, null, null);

    /// <summary>
    /// Sends a GET or dump request and parses every data reply into <paramref name="items"/>; a dump that the
    /// kernel marks interrupted is thrown away and repeated, up to <see cref="MaxDumpAttempts"/> times.
    /// </summary>
    public NetlinkAck Query<TFilter, TItem>(NetlinkMessageWriter request, in TFilter filter, NetlinkParser<TFilter, TItem> parse, List<TItem> items)
    {
        for (int attempt = 1; attempt <= MaxDumpAttempts; attempt++)
        {
            items.Clear();
            NetlinkAck ack = Exchange(request, filter, parse, items, out bool interrupted);
            if (ack.Failed || !interrupted)
                return ack;
        }
        items.Clear();
        return NetlinkAck.Interrupted(MaxDumpAttempts);
    }

    /// <summary>
    /// Sends every message of a multi-message request in one datagram, with consecutive sequence numbers, and
    /// collects one answer per message that carries NLM_F_ACK. A message without it is answered only when it
    /// fails (nfnetlink reports a failed batch commit against the batch-begin message). Returns the first
    /// failure, with the index of the message it answers, or success when every answer was an ACK.
    /// </summary>
    /// <remarks>
    /// The kernel runs a request inside the sendmsg call and queues every answer before it returns, so the
    /// answers are read without waiting: a request it leaves unanswered fails instead of hanging the plugin,
    /// and a late failure report is still seen.
    /// </remarks>
    public NetlinkAck ExecuteAll(NetlinkMessageWriter request)
    {
        int count = request.MessageCount;
        uint first = _sequence + 1;
        _sequence += (uint)count;
        Span<bool> answered = count <= 256 ? stackalloc bool[count] : new bool[count];
        int awaited = 0;
        for (int i = 0; i < count; i++)
        {
            if ((request.FlagsOf(i) & NlmFlags.Ack) != 0)
                awaited++;
        }

        _transport.Send(request.Complete(first, _transport.PortId));
        NetlinkAck failure = NetlinkAck.Success;
        // Everything queued is read, also after the last awaited ACK: a failure may be reported late.
        while (_transport.TryReceiveQueued(out ReadOnlySpan<byte> datagram, out uint sender))
        {
            if (sender != 0)
                continue;
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out NetlinkMessage message))
            {
                uint index = message.Header.Sequence - first;
                if (index >= (uint)count || message.Type != (ushort)NlMsgType.Error)
                    continue;
                NetlinkAck ack = NetlinkAck.FromError(message, (int)index);
                if (ack.Failed && !failure.Failed)
                    failure = ack;
                if (!answered[(int)index] && (request.FlagsOf((int)index) & NlmFlags.Ack) != 0)
                {
                    answered[(int)index] = true;
                    awaited--;
                }
            }
        }
        if (awaited > 0 && !failure.Failed)
            return NetlinkAck.Unanswered(awaited, FirstUnanswered(request, answered));
        return failure;
    }

    public void Dispose() => _transport.Dispose();

    private static int FirstUnanswered(NetlinkMessageWriter request, ReadOnlySpan<bool> answered)
    {
        for (int i = 0; i < answered.Length; i++)
        {
            if (!answered[i] && (request.FlagsOf(i) & NlmFlags.Ack) != 0)
                return i;
        }
        return 0;
    }

    private NetlinkAck Exchange<TFilter, TItem>(NetlinkMessageWriter request, in TFilter filter, NetlinkParser<TFilter, TItem>? parse, List<TItem>? items) =>
        Exchange(request, filter, parse, items, out _);

    private NetlinkAck Exchange<TFilter, TItem>(NetlinkMessageWriter request, in TFilter filter, NetlinkParser<TFilter, TItem>? parse, List<TItem>? items, out bool interrupted)
    {
        uint sequence = ++_sequence;
        _transport.Send(request.Complete(sequence, _transport.PortId));
        interrupted = false;
        while (true)
        {
            ReadOnlySpan<byte> datagram = _transport.Receive(out uint sender);
            // Only the kernel (port 0) answers requests; anything else is not ours to read.
            if (sender != 0)
                continue;
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out NetlinkMessage message))
            {
                // A stale reply (e.g. the rest of a dump abandoned by an exception) carries an older seq.
                if (message.Header.Sequence != sequence)
                    continue;
                if ((message.Header.Flags & NlmFlags.DumpIntr) != 0)
                    interrupted = true;
                switch ((NlMsgType)message.Type)
                {
                    case NlMsgType.Error:
                        return NetlinkAck.FromError(message);
                    case NlMsgType.Done:
                        return NetlinkAck.FromDone(message);
                    case NlMsgType.Noop or NlMsgType.Overrun:
                        break;
                    default:
                        if (parse is not null && parse(message, filter, out TItem item))
                            items!.Add(item);
                        break;
                }
            }
        }
    }
}
