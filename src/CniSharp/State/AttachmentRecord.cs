using System.Text.Json.Serialization;

namespace CniSharp.State;

/// <summary>
/// What one ADD made for one (container id, ifname) on one network, kept on disk so DEL, CHECK and GC need
/// neither live interfaces nor the runtime's result cache. Written as an intent before ADD creates anything
/// ("adding"), completed when ADD succeeds ("ready"), removed as DEL's last step.
/// </summary>
internal sealed class AttachmentRecord
{
    public const int CurrentSchema = 1;
    public const string PhaseAdding = "adding";
    public const string PhaseReady = "ready";

    [JsonPropertyName("schema")]
    public int Schema { get; set; } = CurrentSchema;

    [JsonPropertyName("containerId")]
    public required string ContainerId { get; set; }

    [JsonPropertyName("ifName")]
    public required string IfName { get; set; }

    [JsonPropertyName("network")]
    public string? Network { get; set; }

    [JsonPropertyName("netns")]
    public string? NetNs { get; set; }

    [JsonPropertyName("bridge")]
    public string? Bridge { get; set; }

    [JsonPropertyName("hostVeth")]
    public string? HostVeth { get; set; }

    [JsonPropertyName("hostVethIndex")]
    public int? HostVethIndex { get; set; }

    /// <summary>The container's addresses with prefix, e.g. "10.244.1.5/24".</summary>
    [JsonPropertyName("ips")]
    public List<string> Ips { get; set; } = [];

    [JsonPropertyName("configHash")]
    public string? ConfigHash { get; set; }

    [JsonPropertyName("bootId")]
    public string? BootId { get; set; }

    [JsonPropertyName("phase")]
    public string Phase { get; set; } = PhaseAdding;

    /// <summary>UTC, ISO 8601; for people reading the file, never compared (clocks jump).</summary>
    [JsonPropertyName("created")]
    public string? Created { get; set; }

    public override string ToString() => $"{ContainerId} ({IfName})";
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AttachmentRecord))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
