using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>Conflists for chain tests: the test network's cnisharp-bridge object plus the plugins around it.</summary>
internal static class Conflist
{
    public static JsonObject Of(TestNetwork net, params JsonObject[] plugins) => new()
    {
        ["cniVersion"] = net.CniVersion,
        ["name"] = net.Name,
        ["plugins"] = new JsonArray(plugins.Select(p => (JsonNode)p).ToArray()),
    };

    /// <summary>The bridge plugin object of <paramref name="net"/>; the runner injects name and cniVersion.</summary>
    public static JsonObject Bridge(TestNetwork net, Action<JsonObject>? edit = null, string ipamType = "cnisharp-host-local")
    {
        JsonObject plugin = JsonNode.Parse(net.Config(edit, ipamType))!.AsObject();
        plugin.Remove("name");
        plugin.Remove("cniVersion");
        return plugin;
    }

    public static JsonObject Capabilities(this JsonObject plugin, params string[] names)
    {
        var caps = new JsonObject();
        foreach (string n in names) caps[n] = true;
        plugin["capabilities"] = caps;
        return plugin;
    }

    public static Dictionary<string, JsonNode?> Args(params (string Capability, string Json)[] values) =>
        values.ToDictionary(v => v.Capability, v => JsonNode.Parse(v.Json));

    /// <summary>The container interface entry (in a sandbox) named <paramref name="ifName"/>.</summary>
    public static JsonElement SandboxInterface(JsonElement result, string ifName = "eth0") =>
        result.GetProperty("interfaces").EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == ifName && i.TryGetProperty("sandbox", out _));

    public static List<string> Addresses(JsonElement result) =>
        result.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!).ToList();

    /// <summary>A random locally administered unicast MAC.</summary>
    public static string RandomMac() =>
        "02:" + string.Join(':', Enumerable.Range(0, 5).Select(_ => Random.Shared.Next(256).ToString("x2")));
}
