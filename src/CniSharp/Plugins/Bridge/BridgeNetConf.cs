using System.Text.Json;
using System.Text.Json.Serialization;
using CniSharp.Cni;

namespace CniSharp.Plugins.Bridge;

/// <summary>The cnisharp-bridge configuration: the reference bridge plugin's keys, same names and meaning.</summary>
internal sealed class BridgeNetConf : NetConf
{
    /// <summary>Not "cni0": that is the reference bridge's and flannel's default, and sharing it mixes their state.</summary>
    public const string DefaultBridgeName = "cnisharp0";

    [JsonPropertyName("bridge")]
    public string? Bridge { get; set; }

    [JsonPropertyName("isGateway")]
    public bool IsGateway { get; set; }

    [JsonPropertyName("isDefaultGateway")]
    public bool IsDefaultGateway { get; set; }

    [JsonPropertyName("forceAddress")]
    public bool ForceAddress { get; set; }

    [JsonPropertyName("ipMasq")]
    public bool IpMasq { get; set; }

    [JsonPropertyName("ipMasqBackend")]
    public string? IpMasqBackend { get; set; }

    /// <summary>
    /// CniSharp's own (ip-masq-agent's name): destinations ipMasq never masquerades, e.g. the cluster CIDR, so
    /// pod-to-pod traffic across nodes keeps its source. The network's own subnets are always exempt.
    /// </summary>
    [JsonPropertyName("nonMasqueradeCIDRs")]
    public List<string>? NonMasqueradeCidrs { get; set; }

    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    [JsonPropertyName("hairpinMode")]
    public bool HairpinMode { get; set; }

    [JsonPropertyName("promiscMode")]
    public bool PromiscMode { get; set; }

    [JsonPropertyName("vlan")]
    public int Vlan { get; set; }

    [JsonPropertyName("vlanTrunk")]
    public JsonElement? VlanTrunk { get; set; }

    [JsonPropertyName("preserveDefaultVlan")]
    public bool PreserveDefaultVlan { get; set; }

    [JsonPropertyName("enabledad")]
    public bool EnableDad { get; set; }

    [JsonPropertyName("macspoofchk")]
    public bool MacSpoofCheck { get; set; }

    [JsonPropertyName("disableContainerInterface")]
    public bool DisableContainerInterface { get; set; }

    [JsonPropertyName("portIsolation")]
    public bool PortIsolation { get; set; }

    /// <summary>CniSharp's own: where attachment records live (&lt;stateDir&gt;/&lt;network&gt;/attachments).</summary>
    [JsonPropertyName("stateDir")]
    public string? StateDir { get; set; }

    [JsonIgnore]
    public string StateDirOrDefault => string.IsNullOrEmpty(StateDir) ? Attachments.AttachmentStore.DefaultStateDir : StateDir;

    [JsonIgnore]
    public string BridgeName => string.IsNullOrEmpty(Bridge) ? DefaultBridgeName : Bridge;

    /// <summary>With an IPAM type the container gets addresses; without one (ipam {} or absent) it is L2-only.</summary>
    [JsonIgnore]
    public bool IsLayer3 => IpamType is not null;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BridgeNetConf))]
internal sealed partial class BridgeJsonContext : JsonSerializerContext;
