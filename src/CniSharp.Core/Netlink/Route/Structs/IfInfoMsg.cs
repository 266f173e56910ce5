using System.Runtime.InteropServices;

namespace CniSharp.Netlink.Route;

/// <summary>struct ifinfomsg (linux/rtnetlink.h), 16 bytes: the fixed header of RTM_*LINK messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMsg
{
    public byte Family;        // ifi_family: AF_UNSPEC, or AF_BRIDGE for bridge-port settings
    public byte Pad;           // __ifi_pad
    public ushort Type;        // ifi_type: ARPHRD_*
    public int Index;          // ifi_index
    public LinkFlags Flags;    // ifi_flags: IFF_*
    public LinkFlags Change;   // ifi_change: which ifi_flags bits a request changes
}
