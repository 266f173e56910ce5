using System.Text.Json;

namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway namespace that plays the node for routed pods. The plugin runs inside it (ip netns exec), so the
/// host veths, host routes and forwarding sysctls it makes stay there, and deleting it removes whatever a run left.
/// The node's own addresses sit on its lo: pods reach them through their default route, the node reaches the
/// pods through their host routes.
/// </summary>
public sealed class NodeNamespace : IDisposable
{
    /// <summary>Documentation addresses: they exist only inside this namespace.</summary>
    public const string Address4 = "192.0.2.1";
    public const string Address6 = "2001:db8::1";

    private readonly TestNamespace _ns = new("node");

    public NodeNamespace()
    {
        try
        {
            Shell.Ip("-n", Name, "addr", "add", $"{Address4}/32", "dev", "lo");
            Shell.Ip("-n", Name, "-6", "addr", "add", $"{Address6}/128", "dev", "lo");
        }
        catch
        {
            _ns.Dispose();
            throw;
        }
    }

    public string Name => _ns.Name;

    /// <summary>Destinations of the node's routes out of pod host veths ("cns…"), both families: "10.231.7.2/32 cns…".</summary>
    public List<string> PodRoutes() => PodRoutesIn(Name);

    /// <summary><see cref="PodRoutes"/> of any namespace.</summary>
    public static List<string> PodRoutesIn(string netns)
    {
        var routes = new List<string>();
        foreach (string family in new[] { "-4", "-6" })
            foreach (JsonElement r in Shell.IpJson("-n", netns, family, "route", "show").EnumerateArray())
            {
                string dev = r.TryGetProperty("dev", out JsonElement d) ? d.GetString()! : "";
                string dst = r.GetProperty("dst").GetString()!;
                if (!dev.StartsWith("cns", StringComparison.Ordinal) || dst.StartsWith("fe80", StringComparison.Ordinal)) continue;
                routes.Add($"{(dst.Contains('/') ? dst : dst + (dst.Contains(':') ? "/128" : "/32"))} {dev}");
            }
        return routes;
    }

    /// <summary>Names of the node's links.</summary>
    public List<string> Links() =>
        Shell.IpJson("-n", Name, "link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).ToList();

    public bool LinkExists(string name) => Shell.LinkExists(name, Name);

    public string Sysctl(string key) => Shell.Ip("netns", "exec", Name, "sysctl", "-n", key).Trim();

    public void SetSysctl(string key, string value) => Shell.Ip("netns", "exec", Name, "sysctl", "-qw", $"{key}={value}");

    public void Dispose() => _ns.Dispose();
}
