using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace CniSharp.Netlink;

/// <summary>
/// Builds one netlink request in a single forward pass over a reused buffer. Lengths that are only known
/// later (nlmsg_len, nested attributes) are back-patched; every header and attribute starts 4-byte aligned
/// (NLMSG_ALIGN / NLA_ALIGN), and an attribute's nla_len excludes its trailing padding.
/// </summary>
internal sealed class NetlinkMessageWriter
{
    private const int AttrHeaderSize = 4;
    private byte[] _buffer;
    private int _length;

    public NetlinkMessageWriter(int capacity = 512) => _buffer = new byte[capacity];

    public NlMsgType Type { get; private set; }

    public NlmFlags Flags { get; private set; }

    /// <summary>The message so far, header included (nlmsg_len is patched by <see cref="Complete"/>).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Starts a new message, discarding the previous one.</summary>
    public void Begin(NlMsgType type, NlmFlags flags)
    {
        _length = 0;
        Type = type;
        Flags = flags;
        WriteHeader(new NlMsgHdr { Type = type, Flags = flags });
    }

    /// <summary>Stamps nlmsg_len, nlmsg_seq and nlmsg_pid and returns the finished message.</summary>
    public ReadOnlySpan<byte> Complete(uint sequence, uint portId)
    {
        ref NlMsgHdr header = ref Unsafe.As<byte, NlMsgHdr>(ref _buffer[0]);
        header.Length = (uint)_length;
        header.Sequence = sequence;
        header.PortId = portId;
        return WrittenSpan;
    }

    /// <summary>A fixed kernel header (ifinfomsg, ifaddrmsg, rtmsg) at the current, aligned position.</summary>
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

    /// <summary>An IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order.</summary>
    public void WriteAddress<TAttr>(TAttr type, IPAddress address) where TAttr : unmanaged, Enum
    {
        int size = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16;
        address.TryWriteBytes(WriteAttribute(type, size), out _);
    }

    /// <summary>
    /// Opens a nested attribute; attributes written until the scope is disposed become its payload.
    /// <paramref name="nestedFlag"/> sets NLA_F_NESTED, which strictly validated attributes require
    /// (e.g. IFLA_PROTINFO for AF_BRIDGE, parsed as a single u8 without it).
    /// </summary>
    public NestedAttribute BeginNested<TAttr>(TAttr type, bool nestedFlag = false) where TAttr : unmanaged, Enum
    {
        int start = _length;
        ushort rawType = (ushort)(AttrType(type) | (nestedFlag ? NetlinkConstants.NLA_F_NESTED : 0));
        Span<byte> header = Reserve(AttrHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], rawType);
        return new NestedAttribute(this, start);
    }

    internal void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    private Span<byte> WriteAttribute<TAttr>(TAttr type, int payloadLength) where TAttr : unmanaged, Enum
    {
        Span<byte> span = Reserve(AttrHeaderSize + payloadLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(AttrHeaderSize + payloadLength));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], AttrType(type));
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

    private static ushort AttrType<TAttr>(TAttr type) where TAttr : unmanaged, Enum
    {
        // Every attribute enum is ": ushort" (nla_type is 16 bits).
        if (Unsafe.SizeOf<TAttr>() != sizeof(ushort))
            throw new ArgumentException($"{typeof(TAttr).Name} is not a 16-bit attribute type");
        return Unsafe.As<TAttr, ushort>(ref type);
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
