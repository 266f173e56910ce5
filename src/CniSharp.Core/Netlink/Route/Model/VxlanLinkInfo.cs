using System.Net;
using System.Net.NetworkInformation;

namespace CniSharp.Netlink.Route;

/// <summary>A vxlan link as the kernel reports it: the link basics and its IFLA_VXLAN_* settings.</summary>
internal sealed record VxlanLinkInfo
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public PhysicalAddress? Mac { get; init; }
    public int Mtu { get; init; }
    public LinkFlags Flags { get; init; }
    /// <summary>IFLA_VXLAN_ID.</summary>
    public uint Vni { get; init; }
    /// <summary>IFLA_VXLAN_PORT (host order here; big-endian on the wire).</summary>
    public ushort Port { get; init; }
    /// <summary>IFLA_VXLAN_LOCAL or IFLA_VXLAN_LOCAL6; null when the kernel picks the source.</summary>
    public IPAddress? Local { get; init; }
    /// <summary>IFLA_VXLAN_LINK: the underlay; null when unbound.</summary>
    public int? ParentIndex { get; init; }
    /// <summary>IFLA_VXLAN_LEARNING.</summary>
    public bool Learning { get; init; }

    public bool IsUp => (Flags & LinkFlags.Up) != 0;
}
