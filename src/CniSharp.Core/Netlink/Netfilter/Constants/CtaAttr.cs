namespace CniSharp.Netlink.Netfilter;

/// <summary>CTA_* attributes of a conntrack message (linux/netfilter/nfnetlink_conntrack.h).</summary>
internal enum CtaAttr : ushort
{
    TupleOrig = 1,      // nested CTA_TUPLE_*: the original direction
    TupleReply = 2,
    Status = 3,
    Mark = 8,
    Zone = 18,
    Filter = 25,        // nested CTA_FILTER_*: which CTA_TUPLE_ORIG fields must match
}
