using System.Buffers;
using System.Text.Json;

namespace CniSharp.Cni;

/// <summary>
/// The VERSION answer. skel always reports its own current version as cniVersion rather than echoing the
/// input (pkg/version/plugin.go), and runtimes rely only on supportedVersions.
/// </summary>
internal static class VersionInfoWriter
{
    public static byte[] Write()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, CniJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("cniVersion", CniVersions.Latest);
            w.WriteStartArray("supportedVersions");
            foreach (string v in CniVersions.Supported) w.WriteStringValue(v);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
