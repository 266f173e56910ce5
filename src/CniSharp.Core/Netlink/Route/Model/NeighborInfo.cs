using System.Net;
using System.Net.NetworkInformation;

namespace CniSharp.Netlink.Route;

/// <summary>
/// A neighbour entry (IP → MAC on a link) or, for family AF_BRIDGE, an FDB entry (MAC → remote VTEP IP on a
/// vxlan link), as the kernel reports it (RTM_NEWNEIGH).
/// </summary>
internal sealed record NeighborInfo(int Index, IPAddress? Address, PhysicalAddress? Mac, NeighborState State, NeighborFlags Flags);
