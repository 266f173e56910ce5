using System.Text;
using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>
/// Everything a failed invocation could have touched, as sorted lines: links, addresses and routes of each
/// namespace, and every entry (type, mode, content) under each directory. Two snapshots compare as sets of
/// lines, so a difference reads as "gone:" / "new:" lines instead of a wall of JSON.
/// </summary>
internal sealed class SandboxSnapshot
{
    private readonly SortedSet<string> _lines;

    private SandboxSnapshot(SortedSet<string> lines) => _lines = lines;

    public static SandboxSnapshot Take(IEnumerable<(string Label, string Netns)> namespaces, IEnumerable<(string Label, string Dir)> dirs)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (label, netns) in namespaces)
            AddNamespace(lines, label, netns);
        foreach (var (label, dir) in dirs)
            AddTree(lines, label, dir);
        return new SandboxSnapshot(lines);
    }

    public int Count => _lines.Count;

    /// <summary>Empty when equal; otherwise one line per entry that disappeared or appeared.</summary>
    public string DifferenceFrom(SandboxSnapshot before)
    {
        var text = new StringBuilder();
        foreach (string gone in before._lines.Except(_lines)) text.AppendLine("gone: " + gone);
        foreach (string added in _lines.Except(before._lines)) text.AppendLine("new:  " + added);
        return text.ToString();
    }

    private static void AddNamespace(SortedSet<string> lines, string label, string netns)
    {
        // Only what the plugin could change; counters and timers are not in the plain (non -s, non -d) output.
        foreach (JsonElement link in Shell.IpJson("-n", netns, "link", "show").EnumerateArray())
            lines.Add($"{label} link {Without(link, "ifindex", "link_index")}");
        foreach (JsonElement link in Shell.IpJson("-n", netns, "addr", "show").EnumerateArray())
            foreach (JsonElement a in link.GetProperty("addr_info").EnumerateArray())
                lines.Add($"{label} addr {link.GetProperty("ifname").GetString()} {a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}");
        foreach (string family in new[] { "-4", "-6" })
            foreach (JsonElement route in Shell.IpJson("-n", netns, family, "route", "show", "table", "all").EnumerateArray())
                if (!IsLinkLocalHostRoute(route))
                    lines.Add($"{label} route {route.GetRawText()}");
    }

    /// <summary>
    /// The kernel adds the local route of an IPv6 link-local address only when its DAD finishes, which on a loaded
    /// machine can fall between two snapshots of an untouched namespace; the address itself is compared above.
    /// </summary>
    private static bool IsLinkLocalHostRoute(JsonElement route) =>
        route.TryGetProperty("type", out JsonElement type) && type.GetString() == "local" &&
        route.TryGetProperty("protocol", out JsonElement protocol) && protocol.GetString() == "kernel" &&
        route.GetProperty("dst").GetString()!.StartsWith("fe80:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The link without its kernel-assigned numbers, which say nothing about what the plugin did.</summary>
    private static string Without(JsonElement obj, params string[] keys)
    {
        var parts = obj.EnumerateObject().Where(p => !keys.Contains(p.Name)).Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}");
        return "{" + string.Join(",", parts) + "}";
    }

    private static void AddTree(SortedSet<string> lines, string label, string root)
    {
        if (!Directory.Exists(root))
        {
            lines.Add($"{label} (no directory)");
            return;
        }
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", options))
        {
            var info = new FileInfo(path);
            string relative = Path.GetRelativePath(root, path);
            string mode = OperatingSystem.IsWindows() ? "" : Convert.ToString((int)File.GetUnixFileMode(path), 8);
            if (info.LinkTarget is { } target)
                lines.Add($"{label} {relative} symlink -> {target}");
            else if (Directory.Exists(path))
                lines.Add($"{label} {relative}/ dir {mode}");
            else
                lines.Add($"{label} {relative} file {mode} \"{JsonEncodedText.Encode(File.ReadAllText(path))}\"");
        }
    }
}
