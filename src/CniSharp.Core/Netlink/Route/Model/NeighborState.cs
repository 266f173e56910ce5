namespace CniSharp.Netlink.Route;

/// <summary>NUD_* neighbour states (linux/neighbour.h).</summary>
[Flags]
internal enum NeighborState : ushort
{
    None = 0,
    Incomplete = 0x01,
    Reachable = 0x02,
    Stale = 0x04,
    Delay = 0x08,
    Probe = 0x10,
    Failed = 0x20,
    NoArp = 0x40,      // NUD_NOARP: never resolved, e.g. static FDB entries
    Permanent = 0x80,  // NUD_PERMANENT: set by hand, never expires
}
