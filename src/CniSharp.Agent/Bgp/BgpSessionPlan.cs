using System.Net;
using System.Net.Sockets;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// Which sessions this node's BIRD runs, from the options and the datastore. Pure and ordered: IPv4 sessions, then
/// IPv6 ones (mesh and client sessions by peer name, reflectors as given), then external peers as given. A family
/// has sessions only when this node has pod subnets and an underlay address of it.
/// </summary>
internal static class BgpSessionPlan
{
    /// <param name="bgpPeers">The other nodes that run the BGP backend.</param>
    public static IReadOnlyList<BgpSession> Compute(BgpOptions options, Underlay underlay, IReadOnlyList<IPPrefix> ownSubnets,
        IReadOnlyList<NodeLease> bgpPeers)
    {
        var sessions = new List<BgpSession>();
        var seen = new HashSet<IPAddress>();
        foreach (bool ipv4 in new[] { true, false })
        {
            IPAddress? local = LocalAddress(underlay, ownSubnets, ipv4);
            if (local is null) continue;
            void Add(BgpPeerType type, IPAddress? peer, uint peerAs, bool multihop = false)
            {
                if (peer is null || IsIPv4(peer) != ipv4 || peer.Equals(local) || !seen.Add(peer)) return;
                sessions.Add(new BgpSession(type, peer, peerAs, local, multihop));
            }

            List<IPAddress> reflectors = Reflectors(options, ipv4);
            bool selfIsReflector = reflectors.Contains(local);
            if (options.Mode == BgpMode.Mesh || selfIsReflector)
            {
                foreach (NodeLease peer in bgpPeers)
                {
                    IPAddress? address = ipv4 ? peer.Attributes.PublicIP : peer.Attributes.PublicIPv6;
                    // Another reflector is a plain iBGP peer of this one, below.
                    if (address is null || reflectors.Contains(address)) continue;
                    Add(selfIsReflector ? BgpPeerType.ReflectorClient : BgpPeerType.Mesh, address, options.As);
                }
            }
            foreach (IPAddress reflector in reflectors) Add(BgpPeerType.RouteReflector, reflector, options.As);
            foreach (ExternalPeer external in options.ExternalPeers)
                Add(BgpPeerType.External, external.Address, external.As, multihop: external.As != options.As && !underlay.IsOnLink(external.Address));
        }
        return sessions;
    }

    /// <summary>True when this node reflects routes of the family: reflector mode, and its underlay address of that family listed.</summary>
    public static bool IsReflector(BgpOptions options, Underlay underlay, bool ipv4)
    {
        IPAddress? local = ipv4 ? underlay.IPv4 : underlay.IPv6;
        return local is not null && Reflectors(options, ipv4).Contains(local);
    }

    private static List<IPAddress> Reflectors(BgpOptions options, bool ipv4) =>
        options.Mode == BgpMode.Reflector ? options.RouteReflectors.Where(r => IsIPv4(r) == ipv4).ToList() : [];

    private static IPAddress? LocalAddress(Underlay underlay, IReadOnlyList<IPPrefix> ownSubnets, bool ipv4) =>
        ownSubnets.Any(s => s.IsIPv4 == ipv4) ? (ipv4 ? underlay.IPv4 : underlay.IPv6) : null;

    private static bool IsIPv4(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;
}
