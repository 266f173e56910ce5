namespace CniSharp.Netlink.Route;

/// <summary>IFA_* address attributes (linux/if_addr.h).</summary>
internal enum AddrAttr : ushort
{
    Address = 1,       // IFA_ADDRESS: the peer on point-to-point links, else the same as IFA_LOCAL
    Local = 2,         // IFA_LOCAL: the interface's own IPv4 address
    Label = 3,         // IFA_LABEL
    Broadcast = 4,     // IFA_BROADCAST
    Anycast = 5,       // IFA_ANYCAST
    CacheInfo = 6,     // IFA_CACHEINFO
    Multicast = 7,     // IFA_MULTICAST
    Flags = 8,         // IFA_FLAGS (u32): overrides the 8-bit ifa_flags
}
