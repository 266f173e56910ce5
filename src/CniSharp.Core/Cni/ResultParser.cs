using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CniSharp.Ip;

namespace CniSharp.Cni;

/// <summary>
/// Reads a result of any spec version into the newest shape: prevResult from the config, and what a delegated
/// IPAM printed. Unknown keys are ignored (results may carry fields from later versions); JSON that does not parse
/// is code 6, a field with the wrong type or an unparsable address is code 7 naming the field.
/// </summary>
internal static class ResultParser
{
    public static CniResult Parse(ReadOnlySpan<byte> json, string fallbackVersion)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(json);
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"failed to decode result: {ex.Message}", inner: ex);
        }
        return Parse(root, fallbackVersion);
    }

    /// <summary>A result without cniVersion is read as <paramref name="fallbackVersion"/> (Go's ParsePrevResult uses the config's).</summary>
    public static CniResult Parse(JsonElement root, string fallbackVersion, string where = "result")
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Invalid(where, "must be a JSON object");
        string version = OptionalString(root, "cniVersion", where) is { Length: > 0 } v ? v : fallbackVersion;
        ResultShape shape = ResultShapes.For(version);
        var result = new CniResult { CniVersion = version };
        if (shape == ResultShape.V020)
        {
            ReadLegacyFamily(root, "ip4", AddressFamily.InterNetwork, result, where);
            ReadLegacyFamily(root, "ip6", AddressFamily.InterNetworkV6, result, where);
        }
        else
        {
            foreach ((JsonElement e, string at) in Items(root, "interfaces", where))
                result.Interfaces.Add(ReadInterface(e, at));
            // 0.3.0 named the list "ip"; every real plugin wrote "ips".
            string ipsKey = shape == ResultShape.V040 && !Has(root, "ips") && Has(root, "ip") ? "ip" : "ips";
            foreach ((JsonElement e, string at) in Items(root, ipsKey, where))
                result.Ips.Add(ReadIp(e, at, "address"));
            foreach ((JsonElement e, string at) in Items(root, "routes", where))
                result.Routes.Add(ReadRoute(e, at));
        }
        result.Dns = ReadDns(root, where);
        return result;
    }

    private static CniInterface ReadInterface(JsonElement e, string at) => new()
    {
        Name = RequiredString(e, "name", at),
        Mac = OptionalString(e, "mac", at),
        Mtu = OptionalInt(e, "mtu", at),
        Sandbox = OptionalString(e, "sandbox", at),
        SocketPath = OptionalString(e, "socketPath", at),
        PciId = OptionalString(e, "pciID", at),
    };

    private static CniIPConfig ReadIp(JsonElement e, string at, string addressKey)
    {
        RequireObject(e, at);
        var ip = new CniIPConfig
        {
            Address = Prefix(RequiredString(e, addressKey, at), $"{at}.{addressKey}"),
            Gateway = OptionalAddress(e, "gateway", at),
            Interface = OptionalInt(e, "interface", at),
        };
        if (ip.Gateway is not null && ip.Gateway.AddressFamily != ip.Address.Family)
            throw Invalid($"{at}.gateway", $"\"{ip.Gateway}\" is not in the family of address {ip.Address}");
        return ip;
    }

    /// <summary>One route object (also the shape of host-local's "routes"); a bad field is code 7 naming <paramref name="at"/>.</summary>
    internal static CniRoute ReadRoute(JsonElement e, string at)
    {
        RequireObject(e, at);
        return new CniRoute
        {
            // Go's ParseCIDR masks the destination; so do we.
            Dst = Prefix(RequiredString(e, "dst", at), $"{at}.dst").Network,
            Gw = OptionalAddress(e, "gw", at),
            Mtu = OptionalInt(e, "mtu", at),
            AdvMss = OptionalInt(e, "advmss", at),
            Priority = OptionalInt(e, "priority", at),
            Table = OptionalInt(e, "table", at),
            Scope = OptionalInt(e, "scope", at),
        };
    }

    /// <summary>0.1.0/0.2.0: {"ip","gateway","routes"} per family.</summary>
    private static void ReadLegacyFamily(JsonElement root, string key, AddressFamily family, CniResult result, string where)
    {
        if (!root.TryGetProperty(key, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return;
        string at = $"{where}.{key}";
        CniIPConfig ip = ReadIp(e, at, "ip");
        if (ip.Address.Family != family)
            throw Invalid($"{at}.ip", $"\"{ip.Address}\" is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
        result.Ips.Add(ip);
        foreach ((JsonElement r, string rat) in Items(e, "routes", at))
            result.Routes.Add(ReadRoute(r, rat));
    }

    private static CniDns? ReadDns(JsonElement root, string where)
    {
        if (!root.TryGetProperty("dns", out JsonElement e) || e.ValueKind == JsonValueKind.Null) return null;
        string at = $"{where}.dns";
        RequireObject(e, at);
        var dns = new CniDns
        {
            Nameservers = OptionalStrings(e, "nameservers", at),
            Domain = OptionalString(e, "domain", at),
            Search = OptionalStrings(e, "search", at),
            Options = OptionalStrings(e, "options", at),
        };
        return dns.IsEmpty ? null : dns;
    }

    private static bool Has(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out JsonElement e) && e.ValueKind != JsonValueKind.Null;

    private static IEnumerable<(JsonElement Element, string Where)> Items(JsonElement obj, string key, string where)
    {
        if (!obj.TryGetProperty(key, out JsonElement list) || list.ValueKind == JsonValueKind.Null) yield break;
        if (list.ValueKind != JsonValueKind.Array) throw Invalid($"{where}.{key}", "must be an array");
        int i = 0;
        foreach (JsonElement item in list.EnumerateArray())
            yield return (item, $"{where}.{key}[{i++}]");
    }

    private static void RequireObject(JsonElement e, string at)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Invalid(at, "must be a JSON object");
    }

    private static string RequiredString(JsonElement obj, string key, string at)
    {
        RequireObject(obj, at);
        return OptionalString(obj, key, at) is { Length: > 0 } s ? s : throw Invalid($"{at}.{key}", "is required");
    }

    private static string? OptionalString(JsonElement obj, string key, string at)
    {
        if (!obj.TryGetProperty(key, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return null;
        return e.ValueKind == JsonValueKind.String ? e.GetString() : throw Invalid($"{at}.{key}", "must be a string");
    }

    private static int? OptionalInt(JsonElement obj, string key, string at)
    {
        if (!obj.TryGetProperty(key, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return null;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v >= 0
            ? v
            : throw Invalid($"{at}.{key}", "must be a non-negative integer");
    }

    private static List<string>? OptionalStrings(JsonElement obj, string key, string at)
    {
        if (!obj.TryGetProperty(key, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Array) throw Invalid($"{at}.{key}", "must be an array of strings");
        var list = new List<string>();
        foreach (JsonElement item in e.EnumerateArray())
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid($"{at}.{key}", "must be an array of strings"));
        return list;
    }

    private static IPAddress? OptionalAddress(JsonElement obj, string key, string at)
    {
        string? text = OptionalString(obj, key, at);
        if (string.IsNullOrEmpty(text)) return null;
        // IPAddress.TryParse also takes "10" or "10.1"; Go's ParseIP only takes dotted quads and IPv6 text.
        bool shaped = text.Contains(':') || text.Count(c => c == '.') == 3;
        return shaped && text.IndexOf('/') < 0 && IPAddress.TryParse(text, out IPAddress? address)
            ? IPAddressMath.Canonical(address)
            : throw Invalid($"{at}.{key}", $"\"{text}\" is not an IP address");
    }

    private static IPPrefix Prefix(string text, string at) =>
        IPPrefix.TryParse(text, out IPPrefix prefix) ? prefix : throw Invalid(at, $"\"{text}\" is not an address with a prefix length (CIDR)");

    private static CniException Invalid(string at, string problem) =>
        new(CniErrorCode.InvalidNetworkConfig, $"invalid {at}: {problem}");
}
