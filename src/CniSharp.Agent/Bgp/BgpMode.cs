namespace CniSharp.Agent.Bgp;

/// <summary>How nodes find their BGP peers (<c>--bgp-mode</c>).</summary>
internal enum BgpMode
{
    /// <summary>Every node peers with every other BGP node in the datastore (a full iBGP mesh).</summary>
    Mesh,

    /// <summary>
    /// Nodes peer only with the route reflectors of <c>--bgp-route-reflectors</c>; a node whose underlay address is
    /// in that list is a reflector itself, and peers with every other node as its client.
    /// </summary>
    Reflector,
}
