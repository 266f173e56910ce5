using CniSharp.Cni;
using CniSharp.Ipam.Delegated;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.Ipam;

/// <summary>Which IPAM serves a configuration: ours in-process (no exec on the hot path), anything else from CNI_PATH.</summary>
internal static class IpamFactory
{
    public const string InProcessType = PluginTypes.HostLocal;

    /// <summary>Null when the configuration has no ipam.type: the plugin is L2-only.</summary>
    public static IIpam? For(NetConf conf) => conf.IpamType switch
    {
        null => null,
        InProcessType => new HostLocalIpam(),
        // Our own non-IPAM types: exec'd as an IPAM, the main plugin would run itself again.
        string type when PluginTypes.Find(type) is { Kind: not PluginKind.Ipam } ours => throw CniException.InvalidConfig(
            $"ipam.type \"{type}\" is a CniSharp {(ours.Kind == PluginKind.Meta ? "meta" : "main")} plugin, not an IPAM plugin; use \"{InProcessType}\""),
        _ => new ExecIpam(),
    };
}
