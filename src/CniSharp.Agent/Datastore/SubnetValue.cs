using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using System.Text.Json.Serialization;
using CniSharp.Pods;

namespace CniSharp.Agent.Datastore;

/// <summary>
/// The JSON value of a subnet key: <c>{"node","publicIP","backend","vtepMAC"}</c>, plus <c>"publicIPv6"</c> when
/// the node has an IPv6 underlay address. Operators and other tools read it: field names are a contract.
/// </summary>
internal sealed class SubnetValue
{
    [JsonPropertyName("node")] public string? Node { get; set; }
    [JsonPropertyName("publicIP")] public string? PublicIP { get; set; }
    [JsonPropertyName("publicIPv6")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PublicIPv6 { get; set; }
    [JsonPropertyName("backend")] public string? Backend { get; set; }
    [JsonPropertyName("vtepMAC")] public string? VtepMac { get; set; }

    public static string Serialize(NodeAttributes node) => JsonSerializer.Serialize(new SubnetValue
    {
        Node = node.Node,
        PublicIP = node.PublicIP?.ToString(),
        PublicIPv6 = node.PublicIPv6?.ToString(),
        Backend = node.Backend.Name(),
        VtepMac = node.VtepMac is null ? null : MacFormat.ToCni(node.VtepMac),
    }, SubnetValueJsonContext.Default.SubnetValue);

    /// <summary>The attributes a value names, or null (with a reason) when it is not one of ours.</summary>
    public static NodeAttributes? TryParse(ReadOnlySpan<byte> json, out string? error)
    {
        error = null;
        SubnetValue? value;
        try
        {
            value = JsonSerializer.Deserialize(json, SubnetValueJsonContext.Default.SubnetValue);
        }
        catch (JsonException e)
        {
            error = $"not JSON: {e.Message}";
            return null;
        }
        if (value is null || string.IsNullOrEmpty(value.Node)) { error = "no \"node\""; return null; }
        if (!BackendKindNames.TryParse(value.Backend, out BackendKind backend)) { error = $"unknown backend \"{value.Backend}\""; return null; }
        IPAddress? v4 = null, v6 = null;
        if (value.PublicIP is not null && !IPAddress.TryParse(value.PublicIP, out v4)) { error = $"bad publicIP \"{value.PublicIP}\""; return null; }
        if (value.PublicIPv6 is not null && !IPAddress.TryParse(value.PublicIPv6, out v6)) { error = $"bad publicIPv6 \"{value.PublicIPv6}\""; return null; }
        PhysicalAddress? mac = null;
        if (!string.IsNullOrEmpty(value.VtepMac) && !PhysicalAddress.TryParse(value.VtepMac, out mac)) { error = $"bad vtepMAC \"{value.VtepMac}\""; return null; }
        return new NodeAttributes(value.Node, v4, v6, backend, mac);
    }
}

[JsonSerializable(typeof(SubnetValue))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class SubnetValueJsonContext : JsonSerializerContext;
