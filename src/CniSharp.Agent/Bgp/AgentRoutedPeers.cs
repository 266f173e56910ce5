using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// Under the BGP backend, which peer subnets the agent's own dataplane routes (the rest are BIRD's): every subnet
/// of a node that runs another backend (it has no BIRD: host-gw or VXLAN, as for any peer), and with
/// --bgp-crosssubnet the subnets of BGP nodes that are not on this node's underlay subnet (over VXLAN).
/// </summary>
internal static class AgentRoutedPeers
{
    public static IReadOnlyList<NodeLease> Select(BgpOptions options, Underlay underlay, IReadOnlyList<NodeLease> peers)
    {
        var mine = new List<NodeLease>();
        foreach (NodeLease peer in peers)
        {
            if (peer.Attributes.Backend != BackendKind.Bgp)
            {
                mine.Add(peer);
                continue;
            }
            if (!options.CrossSubnet) continue;
            List<IPPrefix> overlay = peer.Subnets
                .Where(s => !underlay.IsOnLink(s.IsIPv4 ? peer.Attributes.PublicIP : peer.Attributes.PublicIPv6))
                .ToList();
            if (overlay.Count > 0) mine.Add(peer with { Subnets = overlay });
        }
        return mine;
    }
}
