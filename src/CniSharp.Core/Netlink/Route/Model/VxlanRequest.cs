using System.Net;
using System.Net.NetworkInformation;

namespace CniSharp.Netlink.Route;

/// <summary>A vxlan link to create: ip link add {Name} type vxlan id {Vni} dstport {Port} [nolearning] local {Local} dev {Parent}.</summary>
internal sealed record VxlanRequest
{
    public required string Name { get; init; }
    public required uint Vni { get; init; }
    /// <summary>UDP destination port; 8472 is the Linux default and flannel's (4789 is IANA's).</summary>
    public ushort Port { get; init; } = 8472;
    /// <summary>The source address of encapsulated packets (IPv4 or IPv6); null lets the kernel choose.</summary>
    public IPAddress? Local { get; init; }
    /// <summary>The underlay link's ifindex; null lets the route to each destination decide.</summary>
    public int? ParentIndex { get; init; }
    /// <summary>Source-MAC learning; off when every FDB entry is programmed (the node agent does that).</summary>
    public bool Learning { get; init; }
    public int? Mtu { get; init; }
    public PhysicalAddress? Mac { get; init; }
}
