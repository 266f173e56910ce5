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

    /// <summary>
    /// CniSharp's own (ip-masq-agent's name): destinations ipMasq never masquerades, e.g. the cluster CIDR, so
    /// pod-to-pod traffic across nodes keeps its source. The network's own subnets are always exempt.
    /// </summary>
    [JsonPropertyName("nonMasqueradeCIDRs")]
    public List<string>? NonMasqueradeCidrs { get; set; }

    /// <summary>CniSharp's own: where attachment records live (&lt;stateDir&gt;/&lt;network&gt;/attachments).</summary>
    [JsonPropertyName("stateDir")]
    public string? StateDir { get; set; }

    /// <summary>
    /// CniSharp's own, written by cnisharp-agent: a file the node agent keeps fresh; STATUS answers 50 while it is
    /// missing or stale (<see cref="AgentReadiness"/>). ADD does not look at it.
    /// </summary>
    [JsonPropertyName("readinessFile")]
    public string? ReadinessFile { get; set; }

    [JsonIgnore]
    public string StateDirOrDefault => string.IsNullOrEmpty(StateDir) ? DefaultStateDir : StateDir;

    /// <summary>With an IPAM type the container gets addresses; without one (ipam {} or absent) it is L2-only.</summary>
    [JsonIgnore]
    public bool IsLayer3 => IpamType is not null;
}
