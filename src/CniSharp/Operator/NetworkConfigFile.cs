using System.Buffers;
using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Operator;

/// <summary>
/// One file of a runtime's conf dir, read the way libcni reads it: a .conflist with "plugins", or a single
/// .conf/.json plugin configuration; the version is the highest of cniVersion and cniVersions we speak.
/// </summary>
internal sealed record NetworkConfigFile(string Path, string Name, string Version, bool GcDisabled, IReadOnlyList<JsonElement> Plugins)
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
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
        string name = StringOf(root, "name") is { Length: > 0 } n ? n : throw new FormatException("no \"name\"");
        var plugins = new List<JsonElement>();
        if (root.TryGetProperty("plugins", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement plugin in list.EnumerateArray())
                plugins.Add(plugin.ValueKind == JsonValueKind.Object ? plugin : throw new FormatException("a \"plugins\" entry is not an object"));
        }
        else
        {
            plugins.Add(root);
        }
        bool gcDisabled = root.TryGetProperty("disableGC", out JsonElement flag) && NetConf.IsTruthy(flag);
        return new NetworkConfigFile(path, name, PickVersion(root), gcDisabled, plugins);
    }

    public static string? StringOf(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The configuration a runtime would send one plugin: its object with the list's name and version.</summary>
    public byte[] PluginConfig(JsonElement plugin)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("cniVersion", Version);
            writer.WriteString("name", Name);
            foreach (JsonProperty property in plugin.EnumerateObject())
                if (property.Name is not ("cniVersion" or "name"))
                    property.WriteTo(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string PickVersion(JsonElement root)
    {
        var candidates = new List<string>();
        if (StringOf(root, "cniVersion") is string version) candidates.Add(version);
        if (root.TryGetProperty("cniVersions", out JsonElement versions) && versions.ValueKind == JsonValueKind.Array)
            foreach (JsonElement item in versions.EnumerateArray())
                if (item.ValueKind == JsonValueKind.String) candidates.Add(item.GetString()!);
        string? best = null;
        foreach (string candidate in candidates.Where(CniVersions.IsSupported))
            if (best is null || CniVersions.Compare(candidate, best) > 0) best = candidate;
        return best ?? throw new FormatException(
            $"none of its versions [{string.Join(", ", candidates)}] is supported (CniSharp speaks {string.Join(", ", CniVersions.Supported)})");
    }
}
