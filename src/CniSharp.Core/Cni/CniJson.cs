using System.Text.Encodings.Web;
using System.Text.Json;

namespace CniSharp.Cni;

/// <summary>Writer settings shared by the hand-written CNI outputs.</summary>
internal static class CniJson
{
    /// <summary>
    /// Only what JSON itself requires is escaped, so a message reads `unknown plugin type \"x\"` rather than
    /// `\u0022x\u0022`. The output is never embedded in HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
