using System.Text.Json;
using System.Text.Json.Serialization;

namespace CniSharp.Cni;

/// <summary>
/// The keys every plugin configuration shares (SPEC "Plugin configuration objects"). Runtime-generated
/// keys stay raw and are converted on demand, as Go's RawPrevResult is.
/// </summary>
internal class NetConf
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("ipam")]
    public JsonElement? Ipam { get; set; }

    [JsonPropertyName("dns")]
    public DnsConf? Dns { get; set; }

    [JsonPropertyName("prevResult")]
    public JsonElement? PrevResult { get; set; }

    [JsonPropertyName("runtimeConfig")]
    public JsonElement? RuntimeConfig { get; set; }

    [JsonPropertyName("args")]
    public JsonElement? Args { get; set; }

    [JsonPropertyName("capabilities")]
    public JsonElement? Capabilities { get; set; }

    /// <summary>Conflist key (1.1.0) the runtime honours; a plugin handed it (a single .conf) skips CHECK too.</summary>
    [JsonPropertyName("disableCheck")]
    public JsonElement? DisableCheck { get; set; }

    /// <summary>Conflist key (1.1.0): GC must not run, e.g. because a second runtime shares the network (cni#1086).</summary>
    [JsonPropertyName("disableGC")]
    public JsonElement? DisableGC { get; set; }

    /// <summary>CniSharp's own optional logging section: {"file": "...", "level": "debug"}.</summary>
    [JsonPropertyName("log")]
    public LogConf? Log { get; set; }

    /// <summary>The version this request speaks; an absent cniVersion means 0.1.0.</summary>
    [JsonIgnore]
    public string EffectiveVersion => string.IsNullOrEmpty(CniVersion) ? CniVersions.Implicit : CniVersion;

    /// <summary>disableCheck as libcni reads it: true, or the string "true" in any case.</summary>
    [JsonIgnore]
    public bool ChecksDisabled => IsTruthy(DisableCheck);

    /// <summary>disableGC as libcni reads it: true, or the string "true" in any case.</summary>
    [JsonIgnore]
    public bool GcDisabled => IsTruthy(DisableGC);

    public static bool IsTruthy(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.String } s => string.Equals(s.GetString(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>ipam.type, or null when there is no ipam section or it has no type (L2-only).</summary>
    [JsonIgnore]
    public string? IpamType =>
        Ipam is { ValueKind: JsonValueKind.Object } ipam &&
        ipam.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String &&
        type.GetString() is { Length: > 0 } name ? name : null;
}

/// <summary>The "dns" object of a network configuration.</summary>
internal sealed class DnsConf
{
    [JsonPropertyName("nameservers")]
    public List<string>? Nameservers { get; set; }

    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    [JsonPropertyName("search")]
    public List<string>? Search { get; set; }

    [JsonPropertyName("options")]
    public List<string>? Options { get; set; }

    [JsonIgnore]
    public bool IsEmpty =>
        (Nameservers is null || Nameservers.Count == 0) && string.IsNullOrEmpty(Domain) &&
        (Search is null || Search.Count == 0) && (Options is null || Options.Count == 0);

    public CniDns ToResultDns() => new() { Nameservers = Nameservers, Domain = Domain, Search = Search, Options = Options };
}

/// <summary>{"file": "/var/log/cnisharp.log", "level": "debug"}: logging is off unless this or CNISHARP_LOG_FILE is set.</summary>
internal sealed class LogConf
{
    [JsonPropertyName("file")]
    public string? File { get; set; }

    [JsonPropertyName("level")]
    public string? Level { get; set; }
}
