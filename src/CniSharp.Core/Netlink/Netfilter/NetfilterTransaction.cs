namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// One nfnetlink batch: NFNL_MSG_BATCH_BEGIN, the subsystem's messages, NFNL_MSG_BATCH_END, in one datagram.
/// The kernel applies the messages as one transaction — all or nothing, seen atomically by packets — and
/// answers each message (every one carries NLM_F_ACK), so a refusal names the message it refused.
/// </summary>
internal sealed class NetfilterTransaction
{
    private readonly NetlinkSession _session;
    private readonly List<string> _operations = new(8);
    private NetlinkMessageWriter? _writer;
    private NfnlSubsystem _subsystem;

    internal NetfilterTransaction(NetlinkSession session) => _session = session;

    /// <summary>How many messages the transaction holds (the batch framing not counted).</summary>
    public int Count => _operations.Count;

    internal NetfilterTransaction Start(NfnlSubsystem subsystem)
    {
        _operations.Clear();
        _subsystem = subsystem;
        _writer = _session.BeginMany();
        // res_id of the batch messages names the subsystem whose transaction this is.
        _writer.Append(NfnlMsgType.BatchBegin, NlmFlags.Request);
        _writer.WriteHeader(new NfGenMsg(NfProto.Unspec, (ushort)subsystem));
        return this;
    }

    /// <summary>
    /// Appends a message and writes its nfgenmsg; the caller writes its attributes. <paramref name="operation"/>
    /// names it in the error when the kernel refuses it ("add table inet cnisharp").
    /// </summary>
    public NetlinkMessageWriter Add<TType>(TType type, NfProto family, NlmFlags flags, string operation) where TType : unmanaged, Enum
    {
        NetlinkMessageWriter w = _writer ?? throw new InvalidOperationException("no transaction was begun");
        w.Append(type, flags | NlmFlags.Request | NlmFlags.Ack);
        w.WriteHeader(new NfGenMsg(family));
        _operations.Add(operation);
        return w;
    }

    /// <summary>
    /// Ends the batch and sends it. Throws <see cref="NetlinkException"/> naming the first message the kernel
    /// refused (then nothing of the transaction was applied), or "commit" when the commit itself failed.
    /// </summary>
    public void Commit()
    {
        NetlinkMessageWriter w = _writer ?? throw new InvalidOperationException("no transaction was begun");
        _writer = null;
        if (_operations.Count == 0)
            return;
        w.Append(NfnlMsgType.BatchEnd, NlmFlags.Request);
        w.WriteHeader(new NfGenMsg(NfProto.Unspec, (ushort)_subsystem));
        NetlinkAck ack = _session.ExecuteAll(w);
        if (ack.Failed)
            throw ack.ToException(OperationOf(ack.Message));
    }

    // Message 0 is the batch-begin (failures reported against it are commit failures), the last the batch-end.
    private string OperationOf(int message) =>
        message >= 1 && message <= _operations.Count ? _operations[message - 1] : $"commit {_operations.Count} change(s)";
}
