using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CniSharp.Netlink.Netfilter;

/// <summary>struct nfgenmsg (linux/netfilter/nfnetlink.h), 4 bytes: the fixed header of every nfnetlink message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NfGenMsg
{
    public NfProto Family;     // nfgen_family
    public byte Version;       // version: NFNETLINK_V0
    private ushort _resourceId; // res_id (__be16)

    public NfGenMsg(NfProto family, ushort resourceId = 0)
    {
        Family = family;
        Version = 0;
        _resourceId = NetworkOrder(resourceId);
    }

    /// <summary>res_id in host order: the subsystem of a batch-begin message, otherwise 0.</summary>
    public readonly ushort ResourceId => NetworkOrder(_resourceId);

    // A byte swap on little-endian hosts, nothing on big-endian ones: the same operation both ways.
    private static ushort NetworkOrder(ushort value) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
}
