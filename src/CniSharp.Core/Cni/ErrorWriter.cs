using System.Buffers;
using System.Text.Json;

namespace CniSharp.Cni;

/// <summary>
/// The error object of SPEC "Error": {"cniVersion","code","msg","details"}. It goes to stdout with a non-zero
/// exit (libcni parses stdout, not stderr). skel omits cniVersion; including it is harmless and helps readers.
/// </summary>
internal static class ErrorWriter
{
    public static byte[] Write(string version, CniErrorCode code, string message, string? details)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, CniJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("cniVersion", version);
            w.WriteNumber("code", (int)code);
            w.WriteString("msg", message);
            if (!string.IsNullOrEmpty(details)) w.WriteString("details", details);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Write(string version, CniException error) => Write(version, error.Code, error.Message, error.Details);
}
