namespace CniSharp;

/// <summary>What a plugin type is for: the spec's main (interface-making), IPAM and chained meta plugins.</summary>
internal enum PluginKind
{
    Main,
    Ipam,
    Meta,
}

/// <summary>One plugin type CniSharp ships: the name operators write as "type" and the bin dir entry point.</summary>
internal sealed record PluginType(string Name, PluginKind Kind, string Summary);

/// <summary>
/// The one list of CniSharp's plugin types. Everything derives from it: the plugin binary's dispatch (its catalog
/// must serve exactly these), IPAM delegation (a main plugin named as ipam.type would exec itself), --help, and
/// the entry-point symlinks build.sh, the Dockerfile and the demo make from "cnisharp --list-plugins".
/// </summary>
internal static class PluginTypes
{
    public const string Bridge = "cnisharp-bridge";
    public const string HostLocal = "cnisharp-host-local";
    public const string Loopback = "cnisharp-loopback";
    public const string Ptp = "cnisharp-ptp";

    public static IReadOnlyList<PluginType> All { get; } =
    [
        new(Bridge, PluginKind.Main, "veth pairs on a Linux bridge"),
        new(HostLocal, PluginKind.Ipam, "host-local IPAM, on-disk compatible with the reference host-local"),
        new(Loopback, PluginKind.Main, "brings up lo in the container"),
        new(Ptp, PluginKind.Main, "routed veth pairs: /32 pods behind a link-local gateway, a host route each, no bridge"),
    ];

    public static PluginType? Find(string? name)
    {
        foreach (PluginType type in All)
            if (type.Name == name) return type;
        return null;
    }
}
