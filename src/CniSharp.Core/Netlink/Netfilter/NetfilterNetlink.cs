namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// A NETLINK_NETFILTER socket: nfnetlink transactions (<see cref="BeginTransaction"/>) for subsystems that
/// have them (nf_tables), and single requests and dumps for the others (conntrack) and for reading. Like
/// every netlink socket it acts on the network namespace it was opened in. Not thread-safe.
/// </summary>
internal sealed class NetfilterNetlink : IDisposable
{
    private readonly NetlinkSession _session;
    private readonly NetfilterTransaction _transaction;

    internal NetfilterNetlink(INetlinkTransport transport)
    {
        _session = new NetlinkSession(transport);
        _transaction = new NetfilterTransaction(_session);
    }

    /// <summary>Opens NETLINK_NETFILTER in the calling thread's current network namespace.</summary>
    public static NetfilterNetlink Open() => new(NetlinkSocket.Open(NetlinkProtocol.Netfilter));

    /// <summary>
    /// Starts a transaction of <paramref name="subsystem"/> in the shared buffer (one at a time): every
    /// message added to it is applied by the kernel all together at <see cref="NetfilterTransaction.Commit"/>,
    /// or none is.
    /// </summary>
    public NetfilterTransaction BeginTransaction(NfnlSubsystem subsystem) => _transaction.Start(subsystem);

    /// <summary>Starts a single (non-batched) request; its nfgenmsg is written. NLM_F_ACK is added unless it is a dump.</summary>
    public NetlinkMessageWriter Begin<TType>(TType type, NfProto family, NlmFlags flags) where TType : unmanaged, Enum
    {
        NetlinkMessageWriter w = _session.Begin(type, flags);
        w.WriteHeader(new NfGenMsg(family));
        return w;
    }

    /// <summary>Sends a single change request and waits for its ACK or error.</summary>
    public NetlinkAck Execute(NetlinkMessageWriter request) => _session.Execute(request);

    /// <summary>Sends a GET or dump request and parses every reply into <paramref name="items"/>.</summary>
    public NetlinkAck Query<TFilter, TItem>(NetlinkMessageWriter request, in TFilter filter, NetlinkParser<TFilter, TItem> parse, List<TItem> items) =>
        _session.Query(request, filter, parse, items);

    public void Dispose() => _session.Dispose();
}
