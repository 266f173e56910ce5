namespace CniSharp.Netlink.Netfilter;

/// <summary>CTA_FILTER_FLAG(x) bits: which tuple fields a filtered dump or flush compares.</summary>
[Flags]
internal enum CtaFilterFlags : uint
{
    None = 0,
    IpSrc = 1 << 0,
    IpDst = 1 << 1,
    TupleZone = 1 << 2,
    ProtoNum = 1 << 3,
    ProtoSrcPort = 1 << 4,
    ProtoDstPort = 1 << 5,
}
