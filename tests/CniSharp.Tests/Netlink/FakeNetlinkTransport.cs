using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Tests.Netlink;

/// <summary>Records sent requests and answers with canned datagrams built for the last request's seq.</summary>
internal sealed class FakeNetlinkTransport : INetlinkTransport
{
    private readonly Queue<(Func<uint, byte[]> Build, uint Sender)> _replies = new();

    public List<byte[]> Sent { get; } = new();

    public uint PortId => 4242;

    public uint LastSequence { get; private set; }

    /// <summary>Queues one datagram; <paramref name="build"/> gets the seq of the request being answered.</summary>
    public FakeNetlinkTransport Reply(Func<uint, byte[]> build, uint sender = 0)
    {
        _replies.Enqueue((build, sender));
        return this;
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        Sent.Add(datagram.ToArray());
        LastSequence = BitConverter.ToUInt32(datagram[8..12]);
    }

    public ReadOnlySpan<byte> Receive(out uint senderPortId)
    {
        if (_replies.Count == 0)
            throw new InvalidOperationException("the code under test waits for a reply the test did not queue");
        (Func<uint, byte[]> build, uint sender) = _replies.Dequeue();
        senderPortId = sender;
        return build(LastSequence);
    }

    public bool TryReceiveQueued(out ReadOnlySpan<byte> datagram, out uint senderPortId)
    {
        if (_replies.Count == 0)
        {
            datagram = default;
            senderPortId = 0;
            return false;
        }
        datagram = Receive(out senderPortId);
        return true;
    }

    public void Dispose() { }
}
