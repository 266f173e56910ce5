using System.Text.Json.Serialization;
using CniSharp.Pods;

namespace CniSharp.Plugins.Ptp;

/// <summary>
/// The cnisharp-ptp configuration: the reference ptp plugin's keys (mtu, ipMasq, ipMasqBackend, dns, ipam) plus
/// CniSharp's stateDir; all of them are every main plugin's (<see cref="MainPluginNetConf"/>).
/// </summary>
internal sealed class PtpNetConf : MainPluginNetConf;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PtpNetConf))]
internal sealed partial class PtpJsonContext : JsonSerializerContext;
