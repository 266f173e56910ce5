namespace CniSharp.Netlink.Route;

/// <summary>IFLA_* link attributes (linux/if_link.h).</summary>
internal enum LinkAttr : ushort
{
    Address = 1,       // IFLA_ADDRESS
    Broadcast = 2,     // IFLA_BROADCAST
    IfName = 3,        // IFLA_IFNAME
    Mtu = 4,           // IFLA_MTU
    Link = 5,          // IFLA_LINK: for a veth, the peer's ifindex
    Master = 10,       // IFLA_MASTER
    ProtInfo = 12,     // IFLA_PROTINFO: per-family port info; AF_BRIDGE needs NLA_F_NESTED
    TxQueueLength = 13, // IFLA_TXQLEN
    OperState = 16,    // IFLA_OPERSTATE
    LinkMode = 17,     // IFLA_LINKMODE
    LinkInfo = 18,     // IFLA_LINKINFO
    IfAlias = 20,      // IFLA_IFALIAS
    NetNsFd = 28,      // IFLA_NET_NS_FD
    ExtMask = 29,      // IFLA_EXT_MASK: RTEXT_FILTER_*
}
