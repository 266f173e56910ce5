namespace CniSharp.Netlink.Netfilter;

/// <summary>CTA_PROTO_* attributes (linux/netfilter/nfnetlink_conntrack.h).</summary>
internal enum CtaProtoAttr : ushort
{
    Num = 1,            // u8 IPPROTO_*
    SrcPort = 2,        // __be16
    DstPort = 3,        // __be16
}
