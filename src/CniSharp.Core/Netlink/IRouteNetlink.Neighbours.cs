using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace CniSharp.Netlink;

// Neighbour (ARP/NDP) table verbs.
internal partial interface IRouteNetlink
{
    /// <summary>
    /// Equivalent to: ip neigh replace {address} lladdr {mac} dev {index} nud permanent. A permanent entry is never
    /// probed or expired: the peer needs no ARP/NDP at all.
    /// </summary>
    void SetPermanentNeighbour(int index, IPAddress address, PhysicalAddress mac);

    /// <summary>Equivalent to: ip [-4|-6] neigh show dev {index}.</summary>
    IReadOnlyList<NeighbourInfo> ListNeighbours(int index, AddressFamily family);
}

/// <summary>NUD_* neighbour states (linux/neighbour.h).</summary>
[Flags]
internal enum NeighbourState : ushort
{
    None = 0x00,
    Incomplete = 0x01,
    Reachable = 0x02,
    Stale = 0x04,
    Delay = 0x08,
    Probe = 0x10,
    Failed = 0x20,
    NoArp = 0x40,
    Permanent = 0x80,
}

/// <summary>One neighbour entry; <see cref="Mac"/> is null for an unresolved one.</summary>
internal sealed record NeighbourInfo(int Index, IPAddress Address, PhysicalAddress? Mac, NeighbourState State);
