using System.Runtime.InteropServices;

namespace CniSharp.Netlink.Route;

/// <summary>struct ndmsg (linux/neighbour.h), 12 bytes: the fixed header of RTM_*NEIGH messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NdMsg
{
    public byte Family;            // ndm_family: AF_INET/AF_INET6 for neighbours, AF_BRIDGE for FDB entries
    public byte Pad1;              // ndm_pad1
    public ushort Pad2;            // ndm_pad2
    public int Index;              // ndm_ifindex
    public NeighborState State;    // ndm_state: NUD_*
    public NeighborFlags Flags;    // ndm_flags: NTF_*
    public byte Type;              // ndm_type: RTN_*
}
