using System.Net;
using System.Net.NetworkInformation;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Reconcile;

/// <summary>
/// What the kernel should hold for a set of peers, per backend. Pure: the same inputs always give the same
/// objects, so a restarted agent computes exactly what its predecessor programmed and changes nothing.
/// </summary>
internal sealed record DesiredState(
    IReadOnlySet<AgentRoute> Routes,
    IReadOnlySet<NeighbourEntry> Neighbours,
    IReadOnlySet<FdbEntry> Fdb,
    IReadOnlyList<UnreachablePeer> Unreachable)
{
    /// <param name="backend">This node's backend.</param>
    /// <param name="underlay">This node's underlay link.</param>
    /// <param name="vxlanIndex">The VXLAN device's ifindex; null when the backend has none.</param>
    /// <param name="peers">Every other node.</param>
    public static DesiredState Compute(BackendKind backend, Underlay underlay, int? vxlanIndex, IReadOnlyList<NodeLease> peers)
    {
        var routes = new HashSet<AgentRoute>();
        var neighbours = new HashSet<NeighbourEntry>();
        var fdb = new HashSet<FdbEntry>();
        var unreachable = new List<UnreachablePeer>();
        foreach (NodeLease peer in peers)
        {
            NodeAttributes p = peer.Attributes;
            foreach (IPPrefix subnet in peer.Subnets)
            {
                IPAddress? direct = subnet.IsIPv4 ? p.PublicIP : p.PublicIPv6;
                bool onLink = underlay.IsOnLink(direct);
                // The overlay is VXLAN over IPv4 for both families (IPv6 pods ride in IPv4 VXLAN: v6-in-v4).
                bool overlay = vxlanIndex is not null && p.VtepMac is not null && p.PublicIP is not null && underlay.IPv4 is not null;
                bool useDirect = backend switch
                {
                    BackendKind.HostGw => true,
                    BackendKind.CrossSubnet => onLink || !overlay,
                    // A vxlan node still routes directly to an on-link peer that has no VTEP (mid-migration from host-gw).
                    _ => !overlay,
                };
                if (!useDirect)
                {
                    int dev = vxlanIndex!.Value;
                    IPAddress gateway = subnet.Address;
                    PhysicalAddress mac = p.VtepMac!;
                    neighbours.Add(new NeighbourEntry(dev, gateway, mac));
                    fdb.Add(new FdbEntry(dev, mac, p.PublicIP!));
                    routes.Add(new AgentRoute(subnet, gateway, dev, OnLink: true));
                }
                else if (onLink)
                {
                    routes.Add(new AgentRoute(subnet, direct!, underlay.Index, OnLink: false));
                }
                else
                {
                    unreachable.Add(new UnreachablePeer(p.Node, direct ?? p.PublicIP, subnet, Why(backend, underlay, subnet, direct, p)));
                }
            }
        }
        return new DesiredState(routes, neighbours, fdb, unreachable);
    }

    private static string Why(BackendKind backend, Underlay underlay, IPPrefix subnet, IPAddress? direct, NodeAttributes peer)
    {
        if (direct is null && backend == BackendKind.HostGw)
            return $"peer publishes no IPv{(subnet.IsIPv4 ? 4 : 6)} underlay address";
        if (backend == BackendKind.HostGw)
            return $"{direct} is not on-link from {underlay.Name}: host-gw needs peers on one L2 segment (use crosssubnet or vxlan)";
        return peer.VtepMac is null
            ? "peer has no VXLAN endpoint (its backend is host-gw) and is not on-link"
            : "peer has no IPv4 underlay address for the VXLAN overlay and is not on-link";
    }

    /// <summary>The node's own VTEP addresses on the VXLAN device: its subnets' first addresses, /32 and /128.</summary>
    public static IEnumerable<IPPrefix> VtepAddresses(IEnumerable<IPPrefix> ownSubnets) =>
        ownSubnets.Select(s => new IPPrefix(s.Address, s.MaxPrefixLength));
}
