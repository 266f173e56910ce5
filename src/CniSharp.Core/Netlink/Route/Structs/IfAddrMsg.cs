using System.Runtime.InteropServices;

namespace CniSharp.Netlink.Route;

/// <summary>struct ifaddrmsg (linux/if_addr.h), 8 bytes: the fixed header of RTM_*ADDR messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    public byte Family;        // ifa_family
    public byte PrefixLength;  // ifa_prefixlen
    public byte Flags;         // ifa_flags: only the low 8 IFA_F_* bits; IFA_FLAGS carries all 32
    public RouteScope Scope;   // ifa_scope
    public int Index;          // ifa_index
}
