using System.Net;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// Which sessions this node's BIRD runs, from the options and the datastore. Pure, ordered (mesh and client
/// sessions by peer name, reflectors and external peers as given), one session per peer address family that
/// this node carries pod subnets of and has an underlay address of.
/// </summary>
internal static class BgpSessionPlan
{
    /// <param name="bgpPeers">The other nodes that run the BGP backend.</param>
    public static IReadOnlyList<BgpSession> Compute(BgpOptions options, Underlay underlay, IReadOnlyList<IPPrefix> ownSubnets,
        IReadOnlyList<NodeLease> bgpPeers)
    {
        IPAddress? local4 = ownSubnets.Any(s => s.IsIPv4) ? underlay.IPv4 : null;
        IPAddress? local6 = ownSubnets.Any(s => !s.IsIPv4) ? underlay.IPv6 : null;
        var sessions = new List<BgpSession>();
        var seen = new HashSet<IPAddress>();
        void Add(BgpPeerType type, IPAddress? peer, uint peerAs, bool multihop = false)
        {
            IPAddress? local = peer is null ? null : peer.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? local4 : local6;
            if (peer is null || local is null || peer.Equals(local) || !seen.Add(peer)) return;
            sessions.Add(new BgpSession(type, peer, peerAs, local, multihop));
        }

        IReadOnlyList<IPAddress> reflectors = options.Mode == BgpMode.Reflector ? options.RouteReflectors : [];
        bool selfIsReflector = IsReflector(options, underlay);
        if (options.Mode == BgpMode.Mesh || selfIsReflector)
        {
            BgpPeerType type = selfIsReflector ? BgpPeerType.ReflectorClient : BgpPeerType.Mesh;
            foreach (NodeLease peer in bgpPeers)
            {
                NodeAttributes p = peer.Attributes;
                // Another reflector is a plain iBGP peer of this one, below.
                if (reflectors.Any(r => r.Equals(p.PublicIP) || r.Equals(p.PublicIPv6))) continue;
                Add(type, p.PublicIP, options.As);
                Add(type, p.PublicIPv6, options.As);
            }
        }
        foreach (IPAddress reflector in reflectors) Add(BgpPeerType.RouteReflector, reflector, options.As);
        foreach (ExternalPeer external in options.ExternalPeers)
            Add(BgpPeerType.External, external.Address, external.As, multihop: external.As != options.As && !underlay.IsOnLink(external.Address));
        return sessions;
    }

    /// <summary>True when this node is one of the route reflectors (reflector mode, its underlay address listed).</summary>
    public static bool IsReflector(BgpOptions options, Underlay underlay) =>
        options.Mode == BgpMode.Reflector && options.RouteReflectors.Any(r => r.Equals(underlay.IPv4) || r.Equals(underlay.IPv6));
}
