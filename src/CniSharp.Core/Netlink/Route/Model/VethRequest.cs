using System.Net.NetworkInformation;
using System.Runtime.InteropServices;

namespace CniSharp.Netlink.Route;

/// <summary>A veth pair to create: the first end here, the peer possibly in another namespace.</summary>
internal sealed record VethRequest
{
    public required string Name { get; init; }
    public required string PeerName { get; init; }
    /// <summary>The namespace the peer is created in (IFLA_NET_NS_FD); null keeps it beside the first end.</summary>
    public SafeHandle? PeerNamespace { get; init; }
    public int? Mtu { get; init; }
    public PhysicalAddress? Mac { get; init; }
    public PhysicalAddress? PeerMac { get; init; }
}
