namespace CniSharp.Netlink;

/// <summary>Loose integer constants of the rtnetlink ABI that have no enum of their own.</summary>
internal static class NetlinkConstants
{
    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_BRIDGE = 7;   // ifi_family that routes RTM_SETLINK to the bridge driver
    public const byte AF_INET6 = 10;

    public const ushort NLA_F_NESTED = 0x8000;         // nla_type flag: the payload is attributes
    public const ushort NLA_F_NET_BYTEORDER = 0x4000;  // nla_type flag: the payload is big-endian
    public const ushort NLA_TYPE_MASK = 0x3fff;

    public const uint RTEXT_FILTER_SKIP_STATS = 1 << 3; // IFLA_EXT_MASK: leave out IFLA_STATS/STATS64

    public const int RTNLGRP_LINK = 1;  // multicast group of RTM_NEWLINK/RTM_DELLINK (mask RTMGRP_LINK = 1)
}
