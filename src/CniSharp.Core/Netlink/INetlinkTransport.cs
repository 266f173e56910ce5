namespace CniSharp.Netlink;

/// <summary>
/// Datagram I/O under <see cref="NetlinkSession"/>: the kernel socket in production, canned replies in tests.
/// </summary>
internal interface INetlinkTransport : IDisposable
{
    /// <summary>The port id the kernel assigned at bind time (nl_pid).</summary>
    uint PortId { get; }

    void Send(ReadOnlySpan<byte> datagram);

    /// <summary>Blocks for the next datagram. The span stays valid until the next call; <paramref name="senderPortId"/> is 0 for the kernel.</summary>
    ReadOnlySpan<byte> Receive(out uint senderPortId);

    /// <summary>The next datagram if one is already queued, without waiting; false when none is.</summary>
    bool TryReceiveQueued(out ReadOnlySpan<byte> datagram, out uint senderPortId);
}
