namespace CniSharp.Agent.Bgp;

/// <summary>Why a BGP session exists; also the prefix of its BIRD protocol name (<see cref="BgpSessionName"/>).</summary>
internal enum BgpPeerType
{
    /// <summary>Another node, full mesh.</summary>
    Mesh,

    /// <summary>A route reflector this node is a client of (reflector mode), or another reflector when this node is one.</summary>
    RouteReflector,

    /// <summary>A node that is this reflector's client.</summary>
    ReflectorClient,

    /// <summary>A <c>--bgp-peers</c> speaker outside the cluster.</summary>
    External,
}

internal static class BgpPeerTypeNames
{
    /// <summary>What <c>cnisharp-agent status</c> prints (calicoctl's wording where it has one).</summary>
    public static string Describe(this BgpPeerType type) => type switch
    {
        BgpPeerType.Mesh => "node-to-node mesh",
        BgpPeerType.RouteReflector => "route reflector",
        BgpPeerType.ReflectorClient => "reflector client",
        BgpPeerType.External => "external",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The metric label value and JSON field value: "mesh", "reflector", "client", "external".</summary>
    public static string Label(this BgpPeerType type) => type switch
    {
        BgpPeerType.Mesh => "mesh",
        BgpPeerType.RouteReflector => "reflector",
        BgpPeerType.ReflectorClient => "client",
        BgpPeerType.External => "external",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
