namespace CniSharp.Netlink.Route;

/// <summary>IFLA_BR_* bridge attributes nested in IFLA_INFO_DATA (linux/if_link.h).</summary>
internal enum BridgeAttr : ushort
{
    ForwardDelay = 1,  // IFLA_BR_FORWARD_DELAY
    HelloTime = 2,     // IFLA_BR_HELLO_TIME
    MaxAge = 3,        // IFLA_BR_MAX_AGE
    AgeingTime = 4,    // IFLA_BR_AGEING_TIME
    StpState = 5,      // IFLA_BR_STP_STATE
    Priority = 6,      // IFLA_BR_PRIORITY
    VlanFiltering = 7, // IFLA_BR_VLAN_FILTERING (u8)
}
