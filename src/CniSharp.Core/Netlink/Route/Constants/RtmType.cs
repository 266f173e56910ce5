namespace CniSharp.Netlink.Route;

/// <summary>RTM_* message types of NETLINK_ROUTE (linux/rtnetlink.h).</summary>
internal enum RtmType : ushort
{
    NewLink = 16,      // RTM_NEWLINK
    DelLink = 17,      // RTM_DELLINK
    GetLink = 18,      // RTM_GETLINK
    SetLink = 19,      // RTM_SETLINK
    NewAddr = 20,      // RTM_NEWADDR
    DelAddr = 21,      // RTM_DELADDR
    GetAddr = 22,      // RTM_GETADDR
    NewRoute = 24,     // RTM_NEWROUTE
    DelRoute = 25,     // RTM_DELROUTE
    GetRoute = 26,     // RTM_GETROUTE
    NewNeigh = 28,     // RTM_NEWNEIGH: neighbour entries, and FDB entries with family AF_BRIDGE
    DelNeigh = 29,     // RTM_DELNEIGH
    GetNeigh = 30,     // RTM_GETNEIGH
}
