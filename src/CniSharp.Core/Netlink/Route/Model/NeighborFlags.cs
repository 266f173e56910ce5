namespace CniSharp.Netlink.Route;

/// <summary>NTF_* neighbour and FDB flags (linux/neighbour.h).</summary>
[Flags]
internal enum NeighborFlags : byte
{
    None = 0,
    Use = 0x01,
    Self = 0x02,       // NTF_SELF: the entry belongs to the device's own table (a vxlan FDB), not its master bridge's
    Master = 0x04,     // NTF_MASTER
    Proxy = 0x08,
    ExternLearned = 0x10,
    Offloaded = 0x20,
    Sticky = 0x40,
    Router = 0x80,
}
