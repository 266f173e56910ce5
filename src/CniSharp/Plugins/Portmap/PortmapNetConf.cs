using System.Text.Json;
using System.Text.Json.Serialization;
using CniSharp.Cni;

namespace CniSharp.Plugins.Portmap;

/// <summary>The cnisharp-portmap configuration: the reference portmap's keys, each supported or refused.</summary>
internal sealed class PortmapNetConf : NetConf
{
    /// <summary>Masquerade hairpin and localhost connections to a host port (default true, as the reference).</summary>
    [JsonPropertyName("snat")]
    public bool? Snat { get; set; }

    /// <summary>Masquerade every connection to a host port: for pods whose traffic bypasses the host; refused.</summary>
    [JsonPropertyName("masqAll")]
    public bool? MasqAll { get; set; }

    /// <summary>The reference's iptables backend's mark bit; CniSharp marks nothing, so it is refused.</summary>
    [JsonPropertyName("markMasqBit")]
    public JsonElement? MarkMasqBit { get; set; }

    /// <summary>The reference's iptables backend's external mark chain; refused.</summary>
    [JsonPropertyName("externalSetMarkChain")]
    public JsonElement? ExternalSetMarkChain { get; set; }

    /// <summary>Extra iptables/nft match expressions per mapping; refused (CniSharp parses no rule text).</summary>
    [JsonPropertyName("conditionsV4")]
    public JsonElement? ConditionsV4 { get; set; }

    [JsonPropertyName("conditionsV6")]
    public JsonElement? ConditionsV6 { get; set; }

    /// <summary>"nftables" (the only one: nf_tables over netlink) or absent; "iptables" is refused.</summary>
    [JsonPropertyName("backend")]
    public string? Backend { get; set; }

    [JsonIgnore]
    public bool SnatOrDefault => Snat ?? true;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PortmapNetConf))]
internal sealed partial class PortmapJsonContext : JsonSerializerContext;
