namespace CniSharp.Netlink.Netfilter;

/// <summary>CTA_FILTER_* attributes (linux/netfilter/nfnetlink_conntrack.h).</summary>
internal enum CtaFilterAttr : ushort
{
    OrigFlags = 1,      // u32 CtaFilterFlags for CTA_TUPLE_ORIG
    ReplyFlags = 2,
}
