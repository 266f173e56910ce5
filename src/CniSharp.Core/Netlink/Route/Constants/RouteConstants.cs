namespace CniSharp.Netlink.Route;

/// <summary>Loose integer constants of the rtnetlink ABI that have no enum of their own.</summary>
internal static class RouteConstants
{
    public const uint RTEXT_FILTER_SKIP_STATS = 1 << 3; // IFLA_EXT_MASK: leave out IFLA_STATS/STATS64

    public const int RTNLGRP_LINK = 1;  // multicast group of RTM_NEWLINK/RTM_DELLINK (mask RTMGRP_LINK = 1)
}
