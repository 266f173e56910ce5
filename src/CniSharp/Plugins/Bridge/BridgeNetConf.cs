using System.Text.Json;
using System.Text.Json.Serialization;
using CniSharp.Pods;

namespace CniSharp.Plugins.Bridge;

/// <summary>The cnisharp-bridge configuration: the reference bridge plugin's keys, same names and meaning (mtu, ipMasq and
/// stateDir are every main plugin's: <see cref="MainPluginNetConf"/>).</summary>
internal sealed class BridgeNetConf : MainPluginNetConf
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

    [JsonIgnore]
    public string BridgeName => string.IsNullOrEmpty(Bridge) ? DefaultBridgeName : Bridge;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BridgeNetConf))]
internal sealed partial class BridgeJsonContext : JsonSerializerContext;
