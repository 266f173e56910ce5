using System.Text.Json.Serialization;
using CniSharp.Pods;

namespace CniSharp.Attachments;

/// <summary>
/// What one ADD made for one (container id, ifname) on one network, kept on disk so DEL, CHECK and GC need
/// neither live interfaces nor the runtime's result cache. Written as an intent before ADD creates anything
/// ("adding"), completed when ADD succeeds ("ready"), removed as DEL's last step.
/// </summary>
internal sealed class AttachmentRecord
{
    /// <summary>
    /// 2: "plugin" names the type that made the attachment; "bridge" only in cnisharp-bridge's records.
    /// 1: written before cnisharp-ptp, without "plugin": every such record is cnisharp-bridge's. Both are read.
    /// </summary>
    public const int CurrentSchema = 2;
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

    /// <summary>The plugin type that made the attachment ("cnisharp-ptp"); absent in schema 1 records.</summary>
    [JsonPropertyName("plugin")]
    public string? Plugin { get; set; }

    /// <summary>cnisharp-bridge only: the bridge the host veth is a port of.</summary>
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

    /// <summary>The plugin type that made the attachment; schema 1 records predate the field and were all the bridge's.</summary>
    [JsonIgnore]
    public string MadeBy => Plugin ?? PluginTypes.Bridge;

    /// <summary>The host end of the pod's veth: as recorded, else derived as ADD derived it.</summary>
    [JsonIgnore]
    public string HostVethOrDerived => HostVeth ?? HostVethName.For(ContainerId, IfName);

    public override string ToString() => $"{ContainerId} ({IfName})";

    /// <summary>
    /// The record as indented JSON, written by hand: ADD writes it twice, and the serializer's first use (building
    /// its metadata) costs more than the rest of the write. Reading goes through <see cref="StateJsonContext"/>.
    /// </summary>
    public byte[] ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", Schema);
            w.WriteString("containerId", ContainerId);
            w.WriteString("ifName", IfName);
            WriteOptional(w, "network", Network);
            WriteOptional(w, "netns", NetNs);
            WriteOptional(w, "plugin", Plugin);
            WriteOptional(w, "bridge", Bridge);
            WriteOptional(w, "hostVeth", HostVeth);
            if (HostVethIndex is int index) w.WriteNumber("hostVethIndex", index);
            w.WriteStartArray("ips");
            foreach (string ip in Ips) w.WriteStringValue(ip);
            w.WriteEndArray();
            WriteOptional(w, "configHash", ConfigHash);
            WriteOptional(w, "bootId", BootId);
            w.WriteString("phase", Phase);
            WriteOptional(w, "created", Created);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOptional(System.Text.Json.Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AttachmentRecord))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
