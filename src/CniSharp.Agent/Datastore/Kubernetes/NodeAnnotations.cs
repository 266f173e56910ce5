using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CniSharp.Pods;
using k8s.Models;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>
/// What a node publishes for its peers, as annotations on its Node (as flannel does: a Node's InternalIP is only
/// IPv4 in most clusters, and says nothing of a VXLAN device). Operators and tools read them: names are a contract.
/// </summary>
internal static class NodeAnnotations
{
    public const string PublicIPv4 = "cnisharp.io/public-ipv4";
    public const string PublicIPv6 = "cnisharp.io/public-ipv6";
    public const string VtepMac = "cnisharp.io/vtep-mac";
    public const string Backend = "cnisharp.io/backend";

    private static readonly string[] All = [PublicIPv4, PublicIPv6, VtepMac, Backend];

    /// <summary>The annotation values <paramref name="self"/> publishes; null: the annotation must not exist.</summary>
    public static IReadOnlyDictionary<string, string?> For(NodeAttributes self) => new Dictionary<string, string?>
    {
        [PublicIPv4] = self.PublicIP?.ToString(),
        [PublicIPv6] = self.PublicIPv6?.ToString(),
        [VtepMac] = MacFormat.ToCni(self.VtepMac),
        [Backend] = self.Backend.Name(),
    };

    /// <summary>True when the Node already carries exactly what <paramref name="self"/> publishes.</summary>
    public static bool Carries(V1Node node, NodeAttributes self)
    {
        IDictionary<string, string>? current = node.Metadata?.Annotations;
        foreach ((string key, string? value) in For(self))
        {
            string? have = current is not null && current.TryGetValue(key, out string? v) ? v : null;
            if (have != value) return false;
        }
        return true;
    }

    /// <summary>True when the Node carries any of these annotations.</summary>
    public static bool Any(V1Node node) => node.Metadata?.Annotations is { } current && All.Any(current.ContainsKey);

    /// <summary>A JSON merge patch setting <paramref name="self"/>'s annotations (null removes one).</summary>
    public static string MergePatch(NodeAttributes self) => MergePatch(For(self));

    /// <summary>A JSON merge patch removing every annotation of ours (the <c>leave</c> command).</summary>
    public static string RemovalPatch() => MergePatch(All.ToDictionary(k => k, string? (_) => null));

    /// <summary>
    /// The attributes a peer's Node publishes, or null when it publishes none yet (its agent has not started:
    /// <paramref name="error"/> null) or publishes something unreadable (<paramref name="error"/> says what).
    /// </summary>
    public static NodeAttributes? TryRead(V1Node node, out string? error)
    {
        error = null;
        string name = node.Metadata?.Name ?? "";
        IDictionary<string, string>? a = node.Metadata?.Annotations;
        if (a is null || !a.TryGetValue(Backend, out string? backendText)) return null;
        if (!BackendKindNames.TryParse(backendText, out BackendKind backend)) { error = $"{Backend} \"{backendText}\" is no backend"; return null; }
        if (!TryAddress(a, PublicIPv4, AddressFamily.InterNetwork, out IPAddress? v4, ref error)) return null;
        if (!TryAddress(a, PublicIPv6, AddressFamily.InterNetworkV6, out IPAddress? v6, ref error)) return null;
        if (v4 is null && v6 is null) { error = $"neither {PublicIPv4} nor {PublicIPv6}"; return null; }
        PhysicalAddress? mac = null;
        if (a.TryGetValue(VtepMac, out string? macText) && !string.IsNullOrEmpty(macText) &&
            (!PhysicalAddress.TryParse(macText, out mac) || mac.GetAddressBytes().Length != 6))
        {
            error = $"{VtepMac} \"{macText}\" is not a MAC address";
            return null;
        }
        if (backend.UsesVxlan() && mac is null) { error = $"backend {backendText} without {VtepMac}"; return null; }
        return new NodeAttributes(name, v4, v6, backend, mac);
    }

    private static bool TryAddress(IDictionary<string, string> a, string key, AddressFamily family, out IPAddress? address, ref string? error)
    {
        address = null;
        if (!a.TryGetValue(key, out string? text) || string.IsNullOrEmpty(text)) return true;
        if (IPAddress.TryParse(text, out address) && address.AddressFamily == family) return true;
        error = $"{key} \"{text}\" is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address";
        address = null;
        return false;
    }

    private static string MergePatch(IReadOnlyDictionary<string, string?> annotations) => PatchJson.Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartObject("metadata");
        json.WriteStartObject("annotations");
        foreach ((string key, string? value) in annotations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (value is null) json.WriteNull(key);
            else json.WriteString(key, value);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    });
}
