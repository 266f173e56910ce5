using System.Runtime.InteropServices;

namespace CniSharp.Netlink.Route;

/// <summary>struct rtmsg (linux/rtnetlink.h), 12 bytes: the fixed header of RTM_*ROUTE messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RtMsg
{
    public byte Family;            // rtm_family
    public byte DstLength;         // rtm_dst_len
    public byte SrcLength;         // rtm_src_len
    public byte Tos;               // rtm_tos
    public RouteTable Table;       // rtm_table: only 8 bits wide, hence RTA_TABLE
    public RouteProtocol Protocol; // rtm_protocol
    public RouteScope Scope;       // rtm_scope
    public RouteType Type;         // rtm_type
    public uint Flags;             // rtm_flags: RTM_F_*
}
