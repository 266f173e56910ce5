using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.Cni;

namespace CniSharp.Operator;

/// <summary>
/// One file of a runtime's conf dir, read the way libcni reads it: a .conflist with "plugins", or a single
/// .conf/.json plugin configuration; the version is the highest of cniVersion and cniVersions we speak.
/// </summary>
internal sealed record NetworkConfigFile(string Path, string Name, string Version, bool GcDisabled, IReadOnlyList<JsonObject> Plugins)
{
    /// <summary>The files libcni would consider, in its order (sorted by name).</summary>
    public static IEnumerable<string> Find(string confDir) =>
        Directory.EnumerateFiles(confDir)
            .Where(f => f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".conflist", StringComparison.Ordinal) ||
                        f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Throws <see cref="FormatException"/> with a message naming what is wrong.</summary>
    public static NetworkConfigFile Load(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new FormatException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON: {e.Message}", e);
        }
        string name = root["name"] is JsonValue n && n.TryGetValue(out string? s) && s.Length > 0
            ? s : throw new FormatException("no \"name\"");
        var plugins = new List<JsonObject>();
        if (root["plugins"] is JsonArray list)
        {
            foreach (JsonNode? plugin in list)
                plugins.Add(plugin as JsonObject ?? throw new FormatException("a \"plugins\" entry is not an object"));
        }
        else
        {
            plugins.Add(root);
        }
        bool gcDisabled = root["disableGC"] is JsonValue d &&
            (d.TryGetValue(out bool flag) && flag ||
             d.TryGetValue(out string? text) && text.Equals("true", StringComparison.OrdinalIgnoreCase));
        return new NetworkConfigFile(path, name, PickVersion(root), gcDisabled, plugins);
    }

    /// <summary>The configuration a runtime would send one plugin: its object with the list's name and version.</summary>
    public byte[] PluginConfig(JsonObject plugin)
    {
        var copy = (JsonObject)plugin.DeepClone();
        copy["name"] = Name;
        copy["cniVersion"] = Version;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            copy.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static string PickVersion(JsonObject root)
    {
        var candidates = new List<string>();
        if (root["cniVersion"] is JsonValue v && v.TryGetValue(out string? version)) candidates.Add(version);
        if (root["cniVersions"] is JsonArray versions)
            foreach (JsonNode? item in versions)
                if (item is JsonValue iv && iv.TryGetValue(out string? listed)) candidates.Add(listed);
        string? best = null;
        foreach (string candidate in candidates.Where(CniVersions.IsSupported))
            if (best is null || CniVersions.Compare(candidate, best) > 0) best = candidate;
        return best ?? throw new FormatException(
            $"none of its versions [{string.Join(", ", candidates)}] is supported (CniSharp speaks {string.Join(", ", CniVersions.Supported)})");
    }
}
