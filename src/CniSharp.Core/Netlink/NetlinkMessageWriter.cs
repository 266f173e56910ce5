using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace CniSharp.Netlink;

/// <summary>
/// Builds one netlink request — one message, or several packed into one datagram (an nfnetlink batch) — in a
/// single forward pass over a reused buffer. Lengths only known later (each nlmsg_len, nested attributes) are
/// back-patched; every header and attribute starts 4-byte aligned (NLMSG_ALIGN / NLA_ALIGN), and an
/// attribute's nla_len excludes its trailing padding. Integers are host order unless the method says
/// big-endian, which is what nf_tables and some rtnetlink attributes (ports) expect.
/// </summary>
internal sealed class NetlinkMessageWriter
{
    private const int AttrHeaderSize = 4;
    private readonly List<int> _messageStarts = new(4);
    private byte[] _buffer;
    private int _length;

    public NetlinkMessageWriter(int capacity = 512) => _buffer = new byte[capacity];

    /// <summary>How many messages the request holds so far.</summary>
    public int MessageCount => _messageStarts.Count;

    /// <summary>The request so far, headers included (nlmsg_len/seq/pid are stamped by <see cref="Complete"/>).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Empties the buffer for a new request.</summary>
    public void Reset()
    {
        _length = 0;
        _messageStarts.Clear();
    }

    /// <summary>Starts a new request holding one message of <paramref name="type"/>, discarding the previous request.</summary>
    public void Begin<TType>(TType type, NlmFlags flags) where TType : unmanaged, Enum
    {
        Reset();
        Append(type, flags);
    }

    /// <summary>Starts another message after the ones already written; the previous message ends here.</summary>
    public void Append<TType>(TType type, NlmFlags flags) where TType : unmanaged, Enum
    {
        _messageStarts.Add(_length);
        WriteHeader(new NlMsgHdr { Type = Raw16(type), Flags = flags });
    }

    /// <summary>The type of message <paramref name="index"/>.</summary>
    public ushort TypeOf(int index) => HeaderAt(index).Type;

    /// <summary>The flags of message <paramref name="index"/>.</summary>
    public NlmFlags FlagsOf(int index) => HeaderAt(index).Flags;

    /// <summary>
    /// Stamps every message's nlmsg_len, nlmsg_pid and nlmsg_seq — <paramref name="firstSequence"/> for the
    /// first, then one more per message — and returns the finished request.
    /// </summary>
    public ReadOnlySpan<byte> Complete(uint firstSequence, uint portId)
    {
        for (int i = 0; i < _messageStarts.Count; i++)
        {
            int end = i + 1 < _messageStarts.Count ? _messageStarts[i + 1] : _length;
            ref NlMsgHdr header = ref HeaderAt(i);
            header.Length = (uint)(end - _messageStarts[i]);
            header.Sequence = firstSequence + (uint)i;
            header.PortId = portId;
        }
        return WrittenSpan;
    }

    /// <summary>A fixed kernel header (ifinfomsg, ifaddrmsg, rtmsg, nfgenmsg) at the current, aligned position.</summary>
    public void WriteHeader<T>(in T header) where T : unmanaged
    {
        Span<byte> span = Reserve(Unsafe.SizeOf<T>());
        MemoryMarshal.Write(span, in header);
    }

    public void WriteUInt8<TAttr>(TAttr type, byte value) where TAttr : unmanaged, Enum =>
        WriteAttribute(type, 1)[0] = value;

    public void WriteUInt16<TAttr>(TAttr type, ushort value) where TAttr : unmanaged, Enum =>
        BinaryPrimitives.WriteUInt16LittleEndian(WriteAttribute(type, 2), value);

    public void WriteUInt32<TAttr>(TAttr type, uint value) where TAttr : unmanaged, Enum =>
        BinaryPrimitives.WriteUInt32LittleEndian(WriteAttribute(type, 4), value);

    /// <summary>A u16 in network byte order (__be16), e.g. IFLA_VXLAN_PORT.</summary>
    public void WriteUInt16BigEndian<TAttr>(TAttr type, ushort value) where TAttr : unmanaged, Enum =>
        BinaryPrimitives.WriteUInt16BigEndian(WriteAttribute(type, 2), value);

    /// <summary>A u32 in network byte order (__be32): every nf_tables integer attribute.</summary>
    public void WriteUInt32BigEndian<TAttr>(TAttr type, uint value) where TAttr : unmanaged, Enum =>
        BinaryPrimitives.WriteUInt32BigEndian(WriteAttribute(type, 4), value);

    /// <summary>A u64 in network byte order (__be64), e.g. nf_tables handles.</summary>
    public void WriteUInt64BigEndian<TAttr>(TAttr type, ulong value) where TAttr : unmanaged, Enum =>
        BinaryPrimitives.WriteUInt64BigEndian(WriteAttribute(type, 8), value);

    /// <summary>A string attribute: NUL-terminated (NLA_NUL_STRING/NLA_STRING) unless told otherwise.</summary>
    public void WriteString<TAttr>(TAttr type, string value, bool nulTerminated = true) where TAttr : unmanaged, Enum
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> span = WriteAttribute(type, byteCount + (nulTerminated ? 1 : 0));
        Encoding.UTF8.GetBytes(value, span);
        if (nulTerminated)
            span[byteCount] = 0;
    }

    public void WriteBytes<TAttr>(TAttr type, ReadOnlySpan<byte> value) where TAttr : unmanaged, Enum =>
        value.CopyTo(WriteAttribute(type, value.Length));

    /// <summary>An attribute of <paramref name="length"/> zeroed bytes for the caller to fill.</summary>
    public Span<byte> WriteRaw<TAttr>(TAttr type, int length) where TAttr : unmanaged, Enum =>
        WriteAttribute(type, length);

    /// <summary>An attribute with no payload (a flag, or an empty nested list).</summary>
    public void WriteEmpty<TAttr>(TAttr type) where TAttr : unmanaged, Enum => WriteAttribute(type, 0);

    /// <summary>An IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order.</summary>
    public void WriteAddress<TAttr>(TAttr type, IPAddress address) where TAttr : unmanaged, Enum
    {
        int size = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16;
        address.TryWriteBytes(WriteAttribute(type, size), out _);
    }

    /// <summary>
    /// Opens a nested attribute; attributes written until the scope is disposed become its payload.
    /// <paramref name="nestedFlag"/> sets NLA_F_NESTED, which strictly validated attributes require
    /// (e.g. IFLA_PROTINFO for AF_BRIDGE, parsed as a single u8 without it) and nf_tables expects.
    /// </summary>
    public NestedAttribute BeginNested<TAttr>(TAttr type, bool nestedFlag = false) where TAttr : unmanaged, Enum
    {
        int start = _length;
        ushort rawType = (ushort)(Raw16(type) | (nestedFlag ? NetlinkConstants.NLA_F_NESTED : 0));
        Span<byte> header = Reserve(AttrHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], rawType);
        return new NestedAttribute(this, start);
    }

    internal void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    private ref NlMsgHdr HeaderAt(int index) => ref Unsafe.As<byte, NlMsgHdr>(ref _buffer[_messageStarts[index]]);

    private Span<byte> WriteAttribute<TAttr>(TAttr type, int payloadLength) where TAttr : unmanaged, Enum
    {
        Span<byte> span = Reserve(AttrHeaderSize + payloadLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(AttrHeaderSize + payloadLength));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], Raw16(type));
        return span[AttrHeaderSize..];
    }

    /// <summary>Appends <paramref name="size"/> zeroed bytes plus alignment padding; returns the unpadded part.</summary>
    private Span<byte> Reserve(int size)
    {
        int start = _length;
        int end = Align(start + size);
        if (end > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(end, _buffer.Length * 2));
        _buffer.AsSpan(start, end - start).Clear();
        _length = end;
        return _buffer.AsSpan(start, size);
    }

    internal static ushort Raw16<TEnum>(TEnum value) where TEnum : unmanaged, Enum
    {
        // Every attribute and message-type enum is ": ushort" (nla_type and nlmsg_type are 16 bits).
        if (Unsafe.SizeOf<TEnum>() != sizeof(ushort))
            throw new ArgumentException($"{typeof(TEnum).Name} is not a 16-bit netlink type");
        return Unsafe.As<TEnum, ushort>(ref value);
    }

    internal static int Align(int length) => (length + 3) & ~3;
}

/// <summary>The open scope of a nested attribute; disposing it back-patches the attribute's length.</summary>
internal readonly struct NestedAttribute : IDisposable
{
    private readonly NetlinkMessageWriter _writer;
    private readonly int _start;

    internal NestedAttribute(NetlinkMessageWriter writer, int start)
    {
        _writer = writer;
        _start = start;
    }

    public void Dispose() => _writer.EndNested(_start);
}
