using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CniSharp.Cni;

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

    /// <summary>stateDir and mtu: the rules every main plugin applies.</summary>
    public static void Validate(MainPluginNetConf conf)
    {
        if (conf.StateDir is { Length: > 0 } stateDir && !Path.IsPathFullyQualified(stateDir))
            throw CniException.InvalidConfig($"invalid stateDir \"{stateDir}\": must be an absolute path");
        if (conf.Mtu is int mtu && (mtu < 68 || mtu > 65535))
            throw CniException.InvalidConfig($"invalid mtu {mtu}: must be between 68 and 65535");
    }

    /// <summary>
    /// ipMasq is read but not implemented yet. Only ADD refuses it (code 2; STATUS says 50): DEL, CHECK and GC of
    /// such a config have nothing of theirs to undo, and a DEL must succeed after the failed ADD.
    /// </summary>
    public static void RefuseIpMasq(MainPluginNetConf conf, CniErrorCode code = CniErrorCode.UnsupportedField)
    {
        if (conf.IpMasq)
            throw new CniException(code,
                "unsupported field \"ipMasq\": true: masquerade is not implemented in this CniSharp version; set \"ipMasq\": false");
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
