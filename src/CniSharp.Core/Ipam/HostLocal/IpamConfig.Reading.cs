using System.Net;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Ip;

namespace CniSharp.Ipam.HostLocal;

// Hand-written readers over JsonElement (reflection-based JSON is off for AOT); each names the key it rejects.
internal sealed partial class IpamConfig
{
    private static List<IPAddress> ReadRequestedIPs(NetConf conf, string? cniArgs)
    {
        var requested = new List<IPAddress>();
        // CNI_ARGS IP=<ip>[/prefix]: one address, the prefix is ignored (the range's mask is used).
        if (CniEnvArgs.Parse(cniArgs).Get("IP") is { } fromEnv)
        {
            if (!TryParseRequested(fromEnv, out IPAddress address))
                throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_ARGS: invalid IP \"{fromEnv}\": expected <ip>[/prefix]");
            Add(requested, address);
        }
        if (conf.ArgsCniIps() is { } argsIps)
            ReadRequestedList(argsIps, "args.cni.ips", requested);
        if (conf.RuntimeConfigIps() is { } runtimeIps)
            ReadRequestedList(runtimeIps, "runtimeConfig.ips", requested);
        return requested;
    }

    private static void ReadRequestedList(JsonElement list, string where, List<IPAddress> requested)
    {
        if (list.ValueKind != JsonValueKind.Array)
            throw Invalid($"{where} must be an array of addresses");
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TryParseRequested(item.GetString()!, out IPAddress address))
                throw Invalid($"cannot understand ip: {where} entry {item.GetRawText()} is not <ip>[/prefix]");
            Add(requested, address);
        }
    }

    private static void Add(List<IPAddress> requested, IPAddress address)
    {
        // The reference keys requested addresses by their string, so a repeat is one request.
        if (!requested.Contains(address)) requested.Add(address);
    }

    private static bool TryParseRequested(string text, out IPAddress address)
    {
        int slash = text.IndexOf('/');
        if (slash < 0) return IpText.TryParse(text, out address);
        address = IPAddress.None;
        if (!IPPrefix.TryParse(text, out IPPrefix prefix)) return false;
        address = prefix.Address;
        return true;
    }

    private static IEnumerable<RangeSet> ReadRangeSets(JsonElement sets, string where)
    {
        if (sets.ValueKind != JsonValueKind.Array)
            throw Invalid($"{where} must be an array of range sets (arrays of ranges)");
        var result = new List<RangeSet>();
        int i = 0;
        foreach (JsonElement set in sets.EnumerateArray())
        {
            if (set.ValueKind != JsonValueKind.Array)
                throw Invalid($"{where}[{i}] must be an array of ranges");
            var ranges = new List<Range>();
            int j = 0;
            foreach (JsonElement range in set.EnumerateArray())
                ranges.Add(ReadRange(range, $"{where}[{i}][{j++}]"));
            result.Add(new RangeSet(ranges));
            i++;
        }
        return result;
    }

    private static Range ReadRange(JsonElement range, string where)
    {
        if (range.ValueKind != JsonValueKind.Object)
            throw Invalid($"{where} must be an object");
        string subnet = String(range, "subnet", where) ?? throw Invalid($"{where}: missing \"subnet\"");
        return new Range(Cidr(subnet, $"{where}.subnet"), Address(range, "rangeStart", where),
            Address(range, "rangeEnd", where), Address(range, "gateway", where));
    }

    /// <summary>The deprecated top-level subnet/rangeStart/rangeEnd/gateway, or null when there is no subnet.</summary>
    private static Range? ReadLegacyRange(JsonElement ipam) =>
        String(ipam, "subnet", "ipam") is { Length: > 0 } subnet
            ? new Range(Cidr(subnet, "ipam.subnet"), Address(ipam, "rangeStart", "ipam"),
                Address(ipam, "rangeEnd", "ipam"), Address(ipam, "gateway", "ipam"))
            : null;

    private static List<CniRoute> ReadRoutes(JsonElement ipam)
    {
        var routes = new List<CniRoute>();
        if (Property(ipam, "routes") is not { } list) return routes;
        if (list.ValueKind != JsonValueKind.Array)
            throw Invalid("ipam.routes must be an array");
        int i = 0;
        foreach (JsonElement route in list.EnumerateArray())
        {
            string where = $"ipam.routes[{i++}]";
            if (route.ValueKind != JsonValueKind.Object)
                throw Invalid($"{where} must be an object");
            routes.Add(ResultParser.ReadRoute(route, where));
        }
        return routes;
    }

    private static IPPrefix Cidr(string text, string where) =>
        IPPrefix.TryParse(text, out IPPrefix prefix) ? prefix : throw Invalid($"{where}: invalid CIDR address: {text}");

    private static IPAddress? Address(JsonElement obj, string key, string where)
    {
        string? text = String(obj, key, where);
        if (string.IsNullOrEmpty(text)) return null;
        return IpText.TryParse(text, out IPAddress address) ? address : throw Invalid($"{where}.{key}: invalid IP address: {text}");
    }

    private static string? String(JsonElement obj, string key, string where) =>
        Property(obj, key) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            _ => throw Invalid($"{where}.{key} must be a string"),
        };

    private static int? Int(JsonElement obj, string key, string where) =>
        Property(obj, key) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out int n) => n,
            _ => throw Invalid($"{where}.{key} must be an integer"),
        };

    /// <summary>The property, or null when it is absent or JSON null.</summary>
    private static JsonElement? Property(JsonElement obj, string key) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;
}
