using System.Net.NetworkInformation;

namespace CniSharp.Netlink.Route;

/// <summary>What the kernel reports about a link.</summary>
internal sealed record LinkInfo
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    /// <summary>IFLA_INFO_KIND: "bridge", "veth", ...; null for devices without one (lo, most NICs).</summary>
    public string? Kind { get; init; }
    public PhysicalAddress? Mac { get; init; }
    public int Mtu { get; init; }
    public LinkFlags Flags { get; init; }
    public OperState OperState { get; init; }
    /// <summary>IFLA_MASTER: the bridge this link is a port of.</summary>
    public int? MasterIndex { get; init; }
    /// <summary>IFLA_LINK: for a veth, the peer's ifindex (in the peer's namespace).</summary>
    public int? ParentIndex { get; init; }
    public string? Alias { get; init; }
    /// <summary>Bridge port hairpin mode (IFLA_BRPORT_MODE), when the link is a bridge port and the kernel reported it.</summary>
    public bool? Hairpin { get; init; }
    /// <summary>Bridge port isolation (IFLA_BRPORT_ISOLATED), when reported.</summary>
    public bool? Isolated { get; init; }
    /// <summary>For a bridge: IFLA_BR_VLAN_FILTERING, when reported.</summary>
    public bool? VlanFiltering { get; init; }

    public bool IsUp => (Flags & LinkFlags.Up) != 0;
}
