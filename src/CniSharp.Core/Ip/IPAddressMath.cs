using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace CniSharp.Ip;

/// <summary>Arithmetic on addresses as unsigned integers (the shape of pkg/ip's cidr.go).</summary>
internal static class IPAddressMath
{
    /// <summary>IPv4-mapped IPv6 addresses become plain IPv4, as Go's To4() does.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static int BitLength(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;

    public static UInt128 ToInteger(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress FromInteger(UInt128 value, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)value);
            return new IPAddress(v4);
        }
        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    public static IPAddress Mask(IPAddress address, int prefixLength)
    {
        int bits = BitLength(address);
        UInt128 mask = prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);
        mask >>= 128 - bits;
        return FromInteger(ToInteger(address) & mask, address.AddressFamily);
    }

    /// <summary>The highest address of the network (broadcast for IPv4).</summary>
    public static IPAddress LastAddress(IPPrefix network)
    {
        int bits = network.MaxPrefixLength;
        UInt128 hostMask = network.PrefixLength == bits ? UInt128.Zero : (UInt128.MaxValue >> (128 - bits + network.PrefixLength));
        return FromInteger(ToInteger(network.Address) | hostMask, network.Family);
    }

    public static IPAddress Next(IPAddress address) => Add(address, 1);

    public static IPAddress Previous(IPAddress address) => FromInteger(ToInteger(address) - 1, address.AddressFamily);

    public static IPAddress Add(IPAddress address, UInt128 n) => FromInteger(ToInteger(address) + n, address.AddressFamily);

    /// <summary>Orders addresses numerically; both must be of one family.</summary>
    public static int Compare(IPAddress a, IPAddress b) => ToInteger(a).CompareTo(ToInteger(b));

    public static IPAddress ParseCanonical(string text) => Canonical(IPAddress.Parse(text));
}
