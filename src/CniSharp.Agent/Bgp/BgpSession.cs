using System.Net;
using System.Net.Sockets;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// One BGP session this node's BIRD runs: to <paramref name="Peer"/> (AS <paramref name="PeerAs"/>) from
/// <paramref name="Local"/>, the node's underlay address of the same family. IPv4 sessions carry the IPv4 pod
/// subnets, IPv6 sessions the IPv6 ones.
/// </summary>
/// <param name="Multihop">An external peer not on the underlay's subnets (eBGP is single-hop unless told).</param>
internal sealed record BgpSession(BgpPeerType Type, IPAddress Peer, uint PeerAs, IPAddress Local, bool Multihop)
{
    public string Name => BgpSessionName.For(Type, Peer);

    public bool IsIPv4 => Peer.AddressFamily == AddressFamily.InterNetwork;
}
