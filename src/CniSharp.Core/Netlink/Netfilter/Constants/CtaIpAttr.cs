namespace CniSharp.Netlink.Netfilter;

/// <summary>CTA_IP_* attributes (linux/netfilter/nfnetlink_conntrack.h).</summary>
internal enum CtaIpAttr : ushort
{
    V4Src = 1,
    V4Dst = 2,
    V6Src = 3,
    V6Dst = 4,
}
