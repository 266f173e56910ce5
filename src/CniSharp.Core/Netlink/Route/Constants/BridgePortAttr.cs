namespace CniSharp.Netlink.Route;

/// <summary>IFLA_BRPORT_* bridge port attributes (linux/if_link.h), in IFLA_PROTINFO or IFLA_INFO_SLAVE_DATA.</summary>
internal enum BridgePortAttr : ushort
{
    State = 1,         // IFLA_BRPORT_STATE
    Priority = 2,      // IFLA_BRPORT_PRIORITY
    Cost = 3,          // IFLA_BRPORT_COST
    Mode = 4,          // IFLA_BRPORT_MODE (u8): hairpin
    Guard = 5,         // IFLA_BRPORT_GUARD
    Protect = 6,       // IFLA_BRPORT_PROTECT
    FastLeave = 7,     // IFLA_BRPORT_FAST_LEAVE
    Learning = 8,      // IFLA_BRPORT_LEARNING
    UnicastFlood = 9,  // IFLA_BRPORT_UNICAST_FLOOD
    Isolated = 33,     // IFLA_BRPORT_ISOLATED (u8)
}
