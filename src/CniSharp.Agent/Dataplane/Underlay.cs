using System.Net;
using CniSharp.Ip;

namespace CniSharp.Agent.Dataplane;

/// <summary>
/// The node's link to the other nodes: the interface, its MTU, and its addresses with their prefixes (a peer
/// inside one of those prefixes is directly connected: reachable without a router, so host-gw works to it).
/// </summary>
internal sealed record Underlay(string Name, int Index, int Mtu, IPAddress? IPv4, IReadOnlyList<IPPrefix> Prefixes, IPAddress? IPv6)
{
    /// <summary>True when <paramref name="peer"/> is on one of the underlay's subnets (one L2 hop away).</summary>
    public bool IsOnLink(IPAddress? peer) => peer is not null && Prefixes.Any(p => p.Network.Contains(peer));
}
