using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// Set keys and map values as nf_tables stores them: fields in network byte order, and in a concatenation each
/// field padded to a multiple of 4 bytes (one 32-bit register per 4 bytes), as the rules load them.
/// </summary>
internal static class NftKey
{
    /// <summary>IFNAMSIZ: an interface name field is 16 bytes, NUL-padded.</summary>
    public const int IfNameLength = 16;

    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Sctp = 132;

    public static byte[] Address(IPAddress address) => address.GetAddressBytes();

    public static byte[] Proto(byte protocol) => [protocol];

    public static byte[] Port(ushort port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    public static byte[] IfName(string name)
    {
        var bytes = new byte[IfNameLength];
        Encoding.ASCII.GetBytes(name, bytes);
        return bytes;
    }

    public static byte[] Ether(PhysicalAddress mac) => mac.GetAddressBytes();

    /// <summary>Fields of a concatenated key or value, each padded to a multiple of 4 bytes.</summary>
    public static byte[] Concat(params ReadOnlySpan<byte[]> fields)
    {
        int length = 0;
        foreach (byte[] field in fields)
            length += Padded(field.Length);
        var key = new byte[length];
        int offset = 0;
        foreach (byte[] field in fields)
        {
            field.CopyTo(key, offset);
            offset += Padded(field.Length);
        }
        return key;
    }

    /// <summary>The datatype id of an address family's addresses.</summary>
    public static uint AddressType(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? NftDataType.Ipv4Address : NftDataType.Ipv6Address;

    public static int AddressLength(AddressFamily family) => family == AddressFamily.InterNetwork ? 4 : 16;

    public static int Padded(int length) => (length + 3) & ~3;
}
