using System.Text.Json.Serialization;

namespace CniSharp.Cni;

/// <summary>
/// Source-generated JSON for the spec's common configuration. Results and errors are written by hand
/// (<see cref="ResultWriter"/>, <see cref="ErrorWriter"/>) because their shape depends on the cniVersion.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NetConf))]
internal sealed partial class CniJsonContext : JsonSerializerContext
{
}
