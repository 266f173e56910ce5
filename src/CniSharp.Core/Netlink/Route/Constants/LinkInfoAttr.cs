namespace CniSharp.Netlink.Route;

/// <summary>IFLA_INFO_* attributes nested in IFLA_LINKINFO (linux/if_link.h).</summary>
internal enum LinkInfoAttr : ushort
{
    Kind = 1,          // IFLA_INFO_KIND: "bridge", "veth", ...
    Data = 2,          // IFLA_INFO_DATA: kind-specific (IFLA_BR_*, VETH_INFO_*)
    XStats = 3,        // IFLA_INFO_XSTATS
    SlaveKind = 4,     // IFLA_INFO_SLAVE_KIND: the master's kind, "bridge" for a bridge port
    SlaveData = 5,     // IFLA_INFO_SLAVE_DATA: IFLA_BRPORT_* for a bridge port
}
