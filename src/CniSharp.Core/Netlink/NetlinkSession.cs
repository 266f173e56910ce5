namespace CniSharp.Netlink;

/// <summary>
/// The request/reply protocol over one netlink socket: one reused request buffer, sequence numbers, reply
/// matching (seq and sender), NLMSG_ERROR/NLMSG_DONE decoding, and whole-dump retries on NLM_F_DUMP_INTR.
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
    /// Starts a request in the shared buffer. NLM_F_ACK is added to every non-dump request: without it a
    /// successful change gets no reply at all, and the reply loop would have no terminator to wait for.
    /// </summary>
    public NetlinkMessageWriter Begin(NlMsgType type, NlmFlags flags)
    {
        if ((flags & NlmFlags.Dump) != NlmFlags.Dump)
            flags |= NlmFlags.Ack;
        _writer.Begin(type, flags | NlmFlags.Request);
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

    public void Dispose() => _transport.Dispose();

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
                switch (message.Type)
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
