namespace CniSharp.Netlink.Route;

/// <summary>RTA_* route attributes (linux/rtnetlink.h).</summary>
internal enum RouteAttr : ushort
{
    Dst = 1,           // RTA_DST
    Src = 2,           // RTA_SRC
    Iif = 3,           // RTA_IIF
    Oif = 4,           // RTA_OIF
    Gateway = 5,       // RTA_GATEWAY
    Priority = 6,      // RTA_PRIORITY: the route metric
    PrefSrc = 7,       // RTA_PREFSRC
    Metrics = 8,       // RTA_METRICS: nested RTAX_*
    Multipath = 9,     // RTA_MULTIPATH
    Table = 15,        // RTA_TABLE (u32)
}
