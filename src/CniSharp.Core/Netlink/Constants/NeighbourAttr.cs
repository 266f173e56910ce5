namespace CniSharp.Netlink;

/// <summary>NDA_* neighbour attributes (linux/neighbour.h).</summary>
internal enum NeighbourAttr : ushort
{
    Dst = 1,           // NDA_DST: the neighbour's IP address
    LlAddr = 2,        // NDA_LLADDR: its link-layer (MAC) address
    CacheInfo = 3,     // NDA_CACHEINFO
    Probes = 4,        // NDA_PROBES
    IfIndex = 8,       // NDA_IFINDEX: in a dump request, only this link's entries
}
