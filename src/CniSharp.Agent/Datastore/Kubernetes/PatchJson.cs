using System.Text.Json;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>Patch bodies are written by hand (Utf8JsonWriter): the AOT client sends a string patch as it is.</summary>
internal static class PatchJson
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
