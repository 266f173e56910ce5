namespace CniSharp.Netlink.Route;

/// <summary>RT_TABLE_* (linux/rtnetlink.h). rtm_table is 8 bits; larger ids travel in RTA_TABLE.</summary>
internal enum RouteTable : byte
{
    Unspec = 0,        // RT_TABLE_UNSPEC
    Compat = 252,      // RT_TABLE_COMPAT: what the kernel reports in rtm_table for ids above 255
    Default = 253,     // RT_TABLE_DEFAULT
    Main = 254,        // RT_TABLE_MAIN
    Local = 255,       // RT_TABLE_LOCAL
}
