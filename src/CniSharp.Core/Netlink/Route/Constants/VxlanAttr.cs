namespace CniSharp.Netlink.Route;

/// <summary>IFLA_VXLAN_* attributes nested in IFLA_INFO_DATA of a vxlan link (linux/if_link.h).</summary>
internal enum VxlanAttr : ushort
{
    Id = 1,            // IFLA_VXLAN_ID (u32): the VNI
    Group = 2,         // IFLA_VXLAN_GROUP
    Link = 3,          // IFLA_VXLAN_LINK (u32): the underlay device
    Local = 4,         // IFLA_VXLAN_LOCAL: IPv4 source address
    Ttl = 5,           // IFLA_VXLAN_TTL
    Tos = 6,           // IFLA_VXLAN_TOS
    Learning = 7,      // IFLA_VXLAN_LEARNING (u8)
    Ageing = 8,        // IFLA_VXLAN_AGEING
    Port = 15,         // IFLA_VXLAN_PORT (__be16): the UDP destination port
    Local6 = 17,       // IFLA_VXLAN_LOCAL6: IPv6 source address
}
