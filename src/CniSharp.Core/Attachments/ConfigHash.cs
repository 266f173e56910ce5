using System.Buffers;
using System.Text.Json;

namespace CniSharp.Attachments;

/// <summary>
/// A fingerprint of the network configuration an attachment was made with, so DEL and CHECK can say when the
/// configuration changed underneath a pod (the spec says it should not). The keys a runtime adds per call
/// (prevResult, the GC attachment lists) are left out; everything else counts, byte for byte as sent.
/// </summary>
internal static class ConfigHash
{
    private static readonly HashSet<string> PerCallKeys = new(StringComparer.Ordinal)
    {
        "prevResult", "cni.dev/valid-attachments", "cni.dev/attachments",
    };

    /// <summary>"fnv1a64:" + 16 hex digits: identifies, it does not protect (no secret is involved).</summary>
    public static string Of(JsonElement config)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (config.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in config.EnumerateObject())
                {
                    if (PerCallKeys.Contains(property.Name)) continue;
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        ulong hash = 0xcbf29ce484222325;
        foreach (byte b in buffer.WrittenSpan)
        {
            hash ^= b;
            hash *= 0x100000001b3;
        }
        return "fnv1a64:" + hash.ToString("x16");
    }
}
