using System.Net;
using CniSharp.Agent.Datastore;

namespace CniSharp.Agent.Bgp;

/// <summary>Everything <c>--backend bgp</c> was told on the command line (the <c>--bgp-*</c> and <c>--bird-*</c> flags).</summary>
internal sealed record BgpOptions
{
    /// <summary>BIRD's own default private AS, and Calico's.</summary>
    public const uint DefaultAs = 64512;

    /// <summary>The cluster's AS: every node's, so node-to-node sessions are iBGP.</summary>
    public uint As { get; init; } = DefaultAs;

    public BgpMode Mode { get; init; } = BgpMode.Mesh;

    /// <summary>Reflector mode: the route reflectors' addresses (nodes or not).</summary>
    public IReadOnlyList<IPAddress> RouteReflectors { get; init; } = [];

    public IReadOnlyList<ExternalPeer> ExternalPeers { get; init; } = [];

    /// <summary>Calico's CrossSubnet: peers on another underlay subnet over the agent's VXLAN device, the rest direct.</summary>
    public bool CrossSubnet { get; init; }

    public BgpTimers Timers { get; init; } = BgpTimers.Tuned;

    /// <summary>The BIRD daemon and its client; bare names are looked up in PATH (then /usr/sbin, /usr/local/sbin).</summary>
    public string BirdBin { get; init; } = "bird";

    public string BirdcBin { get; init; } = "birdc";

    /// <summary>
    /// The backend of the agent's own dataplane under BGP, for what BIRD does not carry: VXLAN to peers on other
    /// subnets with --bgp-crosssubnet, host-gw routes to nodes that run no BGP (a cluster changing backends).
    /// </summary>
    public BackendKind DataplaneBackend => CrossSubnet ? BackendKind.CrossSubnet : BackendKind.HostGw;

    /// <summary>Leave BIRD (and so every route) running when the agent exits, for the next agent to adopt (upgrades).</summary>
    public bool KeepBirdOnExit { get; init; }
}
