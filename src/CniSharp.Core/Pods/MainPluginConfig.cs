using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CniSharp.Cni;
using CniSharp.Ip;

namespace CniSharp.Pods;

/// <summary>Reading and the shared rules of a <see cref="MainPluginNetConf"/>; each plugin adds its own rules.</summary>
internal static class MainPluginConfig
{
    /// <summary>
    /// Deserializes the configuration, then applies the plugin's <paramref name="validate"/>; a JSON type error
    /// names the plugin type and the JSON path.
    /// </summary>
    public static T Load<T>(JsonElement config, JsonTypeInfo<T> typeInfo, string typeName, Action<T> validate) where T : MainPluginNetConf
    {
        T conf;
        try
        {
            conf = config.Deserialize(typeInfo) ?? throw CniException.InvalidConfig("network configuration is null");
        }
        catch (JsonException e)
        {
            throw CniException.InvalidConfig($"invalid {typeName} configuration at {e.Path ?? "$"}: {FirstSentence(e.Message)}", e);
        }
        validate(conf);
        return conf;
    }

    /// <summary>stateDir, readinessFile, mtu, ipMasqBackend and nonMasqueradeCIDRs: the rules every main plugin applies.</summary>
    public static void Validate(MainPluginNetConf conf)
    {
        if (conf.StateDir is { Length: > 0 } stateDir && !Path.IsPathFullyQualified(stateDir))
            throw CniException.InvalidConfig($"invalid stateDir \"{stateDir}\": must be an absolute path");
        if (conf.ReadinessFile is { Length: > 0 } readinessFile && !Path.IsPathFullyQualified(readinessFile))
            throw CniException.InvalidConfig($"invalid readinessFile \"{readinessFile}\": must be an absolute path");
        if (conf.Mtu is int mtu && (mtu < 68 || mtu > 65535))
            throw CniException.InvalidConfig($"invalid mtu {mtu}: must be between 68 and 65535");
        if (conf.IpMasqBackend is { Length: > 0 } backend && backend is not ("nftables" or "iptables"))
            throw CniException.InvalidConfig($"invalid ipMasqBackend \"{backend}\": must be \"nftables\" (or \"iptables\", which CniSharp refuses)");
        NonMasqueradeCidrs(conf);
    }

    /// <summary>The parsed nonMasqueradeCIDRs; one bad entry is an invalid configuration (code 7).</summary>
    public static List<IPPrefix> NonMasqueradeCidrs(MainPluginNetConf conf)
    {
        var cidrs = new List<IPPrefix>();
        foreach (string text in conf.NonMasqueradeCidrs ?? [])
        {
            if (!IPPrefix.TryParse(text, out IPPrefix cidr))
                throw CniException.InvalidConfig($"invalid nonMasqueradeCIDRs entry \"{text}\": expected a CIDR such as 10.244.0.0/16");
            cidrs.Add(cidr.Network);
        }
        return cidrs;
    }

    /// <summary>
    /// ipMasqBackend "iptables" is read but refused. Only ADD refuses it (code 2; STATUS says 50): DEL, CHECK and GC
    /// of such a config have nothing of theirs to undo, and a DEL must succeed after the failed ADD.
    /// </summary>
    public static void RefuseIpMasqBackend(MainPluginNetConf conf, CniErrorCode code = CniErrorCode.UnsupportedField)
    {
        if (conf.IpMasqBackend == "iptables")
            throw new CniException(code,
                "unsupported field \"ipMasqBackend\": \"iptables\": CniSharp masquerades with nf_tables over netlink and runs no " +
                "iptables binary (its table coexists with iptables-nft, iptables-legacy and kube-proxy); set \"ipMasqBackend\": \"nftables\" or remove it");
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
