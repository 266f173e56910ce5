using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;

namespace CniSharp.Netlink;

/// <summary>Walks a run of netlink attributes (struct nlattr: u16 nla_len, u16 nla_type, payload, padding).</summary>
internal ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    public bool TryRead(out NetlinkAttribute attribute)
    {
        attribute = default;
        if (_remaining.Length < 4)
            return false;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]);
        if (length < 4 || length > _remaining.Length)
            throw new InvalidDataException($"netlink: attribute {type & NetlinkConstants.NLA_TYPE_MASK} length {length} does not fit the {_remaining.Length} bytes left");
        attribute = new NetlinkAttribute(type, _remaining[4..length]);
        int next = NetlinkMessageWriter.Align(length);
        _remaining = next >= _remaining.Length ? default : _remaining[next..];
        return true;
    }
}

/// <summary>One attribute. <see cref="Type"/> has NLA_F_NESTED / NLA_F_NET_BYTEORDER masked off.</summary>
internal readonly ref struct NetlinkAttribute
{
    private readonly ushort _rawType;

    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> value)
    {
        _rawType = rawType;
        Value = value;
    }

    public ushort Type => (ushort)(_rawType & NetlinkConstants.NLA_TYPE_MASK);

    public ReadOnlySpan<byte> Value { get; }

    public NetlinkAttributeReader Nested => new(Value);

    public byte GetUInt8() => Value.Length >= 1 ? Value[0] : throw Short(1);

    public ushort GetUInt16() => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(Value) : throw Short(2);

    public uint GetUInt32() => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : throw Short(4);

    public int GetInt32() => (int)GetUInt32();

    /// <summary>A __be16 (ports, nf_tables fields).</summary>
    public ushort GetUInt16BigEndian() => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Value) : throw Short(2);

    /// <summary>A __be32: every nf_tables integer attribute.</summary>
    public uint GetUInt32BigEndian() => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Value) : throw Short(4);

    /// <summary>A __be64, e.g. an nf_tables handle.</summary>
    public ulong GetUInt64BigEndian() => Value.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(Value) : throw Short(8);

    /// <summary>A string up to its first NUL (the kernel NUL-terminates, but tolerate its absence).</summary>
    public string GetString() => Encoding.UTF8.GetString(TrimNul(Value));

    /// <summary>Whether the string attribute equals <paramref name="utf8"/> (without allocating).</summary>
    public bool StringEquals(ReadOnlySpan<byte> utf8) => TrimNul(Value).SequenceEqual(utf8);

    public IPAddress GetAddress() =>
        Value.Length is 4 or 16 ? new IPAddress(Value) : throw new InvalidDataException($"netlink: attribute {Type} is {Value.Length} bytes, not an IP address");

    public PhysicalAddress GetPhysicalAddress() => new(Value.ToArray());

    private static ReadOnlySpan<byte> TrimNul(ReadOnlySpan<byte> value)
    {
        int nul = value.IndexOf((byte)0);
        return nul < 0 ? value : value[..nul];
    }

    private InvalidDataException Short(int size) =>
        new($"netlink: attribute {Type} is {Value.Length} bytes, expected at least {size}");
}
