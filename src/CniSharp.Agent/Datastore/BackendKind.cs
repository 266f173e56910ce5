namespace CniSharp.Agent.Datastore;

/// <summary>How this node carries pod traffic to other nodes (<c>--backend</c>; the "backend" field peers read).</summary>
internal enum BackendKind
{
    /// <summary>Routes <c>podCIDR via peer-underlay-IP</c>: peers must share an L2 segment.</summary>
    HostGw,

    /// <summary>One VXLAN device (VNI 1, UDP 8472) with a static neighbour, FDB entry and onlink route per peer.</summary>
    Vxlan,

    /// <summary>host-gw routes for peers on the same underlay subnet, VXLAN for the rest (Calico's CrossSubnet).</summary>
    CrossSubnet,

    /// <summary>Pod routes exchanged by BGP: the agent drives a BIRD per node (see <c>Bgp/</c>).</summary>
    Bgp,
}

internal static class BackendKindNames
{
    /// <summary>The wire/CLI name: "host-gw", "vxlan", "crosssubnet", "bgp".</summary>
    public static string Name(this BackendKind kind) => kind switch
    {
        BackendKind.HostGw => "host-gw",
        BackendKind.Vxlan => "vxlan",
        BackendKind.CrossSubnet => "crosssubnet",
        BackendKind.Bgp => "bgp",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? text, out BackendKind kind)
    {
        switch (text)
        {
            case "host-gw": kind = BackendKind.HostGw; return true;
            case "vxlan": kind = BackendKind.Vxlan; return true;
            case "crosssubnet": kind = BackendKind.CrossSubnet; return true;
            case "bgp": kind = BackendKind.Bgp; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>True when the backend needs the VXLAN device (and so publishes a VTEP MAC).</summary>
    public static bool UsesVxlan(this BackendKind kind) => kind is BackendKind.Vxlan or BackendKind.CrossSubnet;
}
