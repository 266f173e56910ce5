using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;

namespace CniSharp.Agent.Bgp;

/// <summary>Everything BIRD's configuration is rendered from (<see cref="BirdConfig.Render"/>).</summary>
/// <param name="Self">This node's lease: its pod subnets are what it announces.</param>
/// <param name="BgpPeers">The other nodes running the BGP backend: mesh or client peers, and the only subnets accepted.</param>
/// <param name="UnderlayRoutes">The kernel's gateway routes on the underlay link (next-hop resolution).</param>
/// <param name="LogFile">BIRD's own log (rotated by BIRD at 4 MB to LogFile.1).</param>
internal sealed record BirdConfigInput(
    BgpOptions Options,
    Underlay Underlay,
    IReadOnlyList<UnderlayRoute> UnderlayRoutes,
    NodeLease Self,
    IReadOnlyList<NodeLease> BgpPeers,
    string LogFile);
