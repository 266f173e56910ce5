using CniSharp.Cni;
using CniSharp.Ipam.Delegated;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.Ipam;

/// <summary>Which IPAM serves a configuration: ours in-process (no exec on the hot path), anything else from CNI_PATH.</summary>
internal static class IpamFactory
{
    public const string InProcessType = "cnisharp-host-local";

    /// <summary>Our own plugins that are not IPAMs: exec'd as one, the bridge would run itself again.</summary>
    private static readonly string[] NotIpamTypes = [Plugins.Bridge.BridgePlugin.TypeName, Plugins.Loopback.LoopbackPlugin.TypeName];

    /// <summary>Null when the configuration has no ipam.type: the plugin is L2-only.</summary>
    public static IIpam? For(NetConf conf) => conf.IpamType switch
    {
        null => null,
        InProcessType => new HostLocalIpam(),
        string type when NotIpamTypes.Contains(type) => throw CniException.InvalidConfig(
            $"ipam.type \"{type}\" is a CniSharp main plugin, not an IPAM plugin; use \"{InProcessType}\""),
        _ => new ExecIpam(),
    };
}
