using System.Text.Json.Serialization;

namespace CniSharp.Tests.Cni;

/// <summary>Source-generated JSON for building test inputs with proper escaping.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TestJson : JsonSerializerContext
{
}
