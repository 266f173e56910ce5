using CniSharp.Cni;
using CniSharp.Ipam.Delegated;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.Ipam;

/// <summary>Which IPAM serves a configuration: ours in-process (no exec on the hot path), anything else from CNI_PATH.</summary>
internal static class IpamFactory
{
    public const string InProcessType = "cnisharp-host-local";

    /// <summary>Null when the configuration has no ipam.type: the plugin is L2-only.</summary>
    public static IIpam? For(NetConf conf) => conf.IpamType switch
    {
        null => null,
        InProcessType => new HostLocalIpam(),
        _ => new ExecIpam(),
    };
}
