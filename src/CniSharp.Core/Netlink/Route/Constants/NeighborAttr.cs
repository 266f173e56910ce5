namespace CniSharp.Netlink.Route;

/// <summary>NDA_* neighbour and FDB attributes (linux/neighbour.h).</summary>
internal enum NeighborAttr : ushort
{
    Dst = 1,           // NDA_DST: the neighbour's IP; for an FDB entry of a vxlan, the remote VTEP
    LinkLayerAddress = 2, // NDA_LLADDR: the MAC
    CacheInfo = 3,     // NDA_CACHEINFO
    Probes = 4,        // NDA_PROBES
    Vlan = 5,          // NDA_VLAN
    Port = 6,          // NDA_PORT (__be16): vxlan destination port of an FDB entry
    Vni = 7,           // NDA_VNI
    IfIndex = 8,       // NDA_IFINDEX: in a dump request, only this link's entries
    Master = 9,        // NDA_MASTER
}
