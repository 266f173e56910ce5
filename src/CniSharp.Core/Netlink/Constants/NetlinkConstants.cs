namespace CniSharp.Netlink;

/// <summary>Loose integer constants shared by netlink families that have no enum of their own.</summary>
internal static class NetlinkConstants
{
    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_BRIDGE = 7;   // ifi_family that routes RTM_SETLINK to the bridge driver; FDB entries
    public const byte AF_INET6 = 10;

    public const ushort NLA_F_NESTED = 0x8000;         // nla_type flag: the payload is attributes
    public const ushort NLA_F_NET_BYTEORDER = 0x4000;  // nla_type flag: the payload is big-endian
    public const ushort NLA_TYPE_MASK = 0x3fff;
}
