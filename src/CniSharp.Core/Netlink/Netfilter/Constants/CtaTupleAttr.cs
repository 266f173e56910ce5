namespace CniSharp.Netlink.Netfilter;

/// <summary>CTA_TUPLE_* attributes (linux/netfilter/nfnetlink_conntrack.h).</summary>
internal enum CtaTupleAttr : ushort
{
    Ip = 1,             // nested CTA_IP_*
    Proto = 2,          // nested CTA_PROTO_*
    Zone = 3,
}
