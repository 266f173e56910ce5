using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CniSharp.Netlink;

/// <summary>Walks the netlink messages packed into one received datagram.</summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_remaining.Length < Unsafe.SizeOf<NlMsgHdr>())
            return false;
        NlMsgHdr header = MemoryMarshal.Read<NlMsgHdr>(_remaining);
        if (header.Length < Unsafe.SizeOf<NlMsgHdr>() || header.Length > _remaining.Length)
            throw new InvalidDataException($"netlink: message length {header.Length} does not fit the {_remaining.Length} bytes left");
        message = new NetlinkMessage(header, _remaining[Unsafe.SizeOf<NlMsgHdr>()..(int)header.Length]);
        int next = NetlinkMessageWriter.Align((int)header.Length);
        _remaining = next >= _remaining.Length ? default : _remaining[next..];
        return true;
    }
}

/// <summary>One netlink message: its header and the payload after it.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(NlMsgHdr header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    public NlMsgHdr Header { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>nlmsg_type: an <see cref="NlMsgType"/> control type or one of the family's own.</summary>
    public ushort Type => Header.Type;

    /// <summary>Whether this is a message of <paramref name="type"/> (a family's 16-bit message-type enum).</summary>
    public bool Is<TType>(TType type) where TType : unmanaged, Enum =>
        Header.Type == NetlinkMessageWriter.Raw16(type);

    /// <summary>The fixed family header (ifinfomsg, ifaddrmsg, rtmsg, nfgenmsg) at the start of the payload.</summary>
    public T ReadHeader<T>() where T : unmanaged
    {
        if (Payload.Length < Unsafe.SizeOf<T>())
            throw new InvalidDataException($"netlink: message type {Header.Type} payload of {Payload.Length} bytes is shorter than its {Unsafe.SizeOf<T>()}-byte header");
        return MemoryMarshal.Read<T>(Payload);
    }

    /// <summary>The attributes after the fixed header <typeparamref name="T"/>.</summary>
    public NetlinkAttributeReader Attributes<T>() where T : unmanaged
    {
        int start = NetlinkMessageWriter.Align(Unsafe.SizeOf<T>());
        return new NetlinkAttributeReader(start >= Payload.Length ? default : Payload[start..]);
    }
}
