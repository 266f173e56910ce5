using System.Text.Json;

namespace CniSharp.Cni;

/// <summary>The request's configuration: the whole document (plugins read their own keys) and its common fields.</summary>
internal sealed record DecodedConfig(JsonElement Config, NetConf Conf)
{
    /// <summary>The version the result and errors are written in; validated by the decoder.</summary>
    public string Version => Conf.EffectiveVersion;
}
