using System.Text.Json.Serialization;
using CniSharp.Cni;

namespace CniSharp.Pods;

/// <summary>
/// The keys every CniSharp main plugin that wires a pod with a veth shares (cnisharp-bridge, cnisharp-ptp): the
/// reference plugins' mtu and ipMasq, and CniSharp's own stateDir for attachment records.
/// </summary>
internal abstract class MainPluginNetConf : NetConf
{
    /// <summary>Where attachment records live unless "stateDir" says otherwise.</summary>
    public const string DefaultStateDir = "/var/lib/cni/cnisharp";

    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    [JsonPropertyName("ipMasq")]
    public bool IpMasq { get; set; }

    [JsonPropertyName("ipMasqBackend")]
    public string? IpMasqBackend { get; set; }

    /// <summary>CniSharp's own: where attachment records live (&lt;stateDir&gt;/&lt;network&gt;/attachments).</summary>
    [JsonPropertyName("stateDir")]
    public string? StateDir { get; set; }

    [JsonIgnore]
    public string StateDirOrDefault => string.IsNullOrEmpty(StateDir) ? DefaultStateDir : StateDir;

    /// <summary>With an IPAM type the container gets addresses; without one (ipam {} or absent) it is L2-only.</summary>
    [JsonIgnore]
    public bool IsLayer3 => IpamType is not null;
}
