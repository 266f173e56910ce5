using System.Runtime.InteropServices;

namespace CniSharp.Netlink;

/// <summary>struct ndmsg (linux/neighbour.h), 12 bytes: the fixed header of RTM_*NEIGH messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NdMsg
{
    public byte Family;            // ndm_family
    public byte Pad1;              // ndm_pad1
    public ushort Pad2;            // ndm_pad2
    public int Index;              // ndm_ifindex
    public NeighbourState State;   // ndm_state (NUD_*)
    public byte Flags;             // ndm_flags (NTF_*)
    public byte Type;              // ndm_type (RTN_*)
}
