using CniSharp.Cni;
using CniSharp.Pods;

namespace CniSharp.Plugins.Ptp;

/// <summary>Reads and validates a cnisharp-ptp configuration; one message per rule.</summary>
internal static class PtpConfig
{
    public static PtpNetConf Load(PluginRequest request) =>
        MainPluginConfig.Load(request.Config, PtpJsonContext.Default.PtpNetConf, PluginTypes.Ptp, Validate);

    public static void Validate(PtpNetConf conf)
    {
        MainPluginConfig.Validate(conf);
        // A routed pod is reachable only through the host route to its address: no address, no pod network.
        if (!conf.IsLayer3)
            throw CniException.InvalidConfig(
                $"{PluginTypes.Ptp} routes each pod by its address, so it needs an \"ipam\" section with a \"type\" " +
                $"(e.g. {{\"type\": \"{PluginTypes.HostLocal}\", \"ranges\": [[{{\"subnet\": \"10.244.1.0/24\"}}]]}})");
    }

    /// <summary>Keys read but not implemented yet; see <see cref="MainPluginConfig.RefuseIpMasq"/>.</summary>
    public static void RefuseUnimplemented(PtpNetConf conf, CniErrorCode code = CniErrorCode.UnsupportedField) =>
        MainPluginConfig.RefuseIpMasq(conf, code);
}
