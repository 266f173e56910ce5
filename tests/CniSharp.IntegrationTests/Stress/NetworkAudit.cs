using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// Compares what the kernel and the IPAM store hold with what the test believes is attached, and lists every
/// disagreement. Run only while no plugin process is running, so every difference is real.
/// </summary>
internal static partial class NetworkAudit
{
    /// <summary>The reservation store read from disk: address → owner, plus files that are not state.</summary>
    public sealed record Store(Dictionary<string, string> Owners, List<string> StrayFiles);

    /// <summary>
    /// Reads the store the way a later ADD would meet it. "lock" and "last_reserved_ip.N" are state; a file
    /// named like an address must hold an owner; anything else (a temp file, an empty reservation) is residue.
    /// </summary>
    public static Store ReadStore(TestNetwork net)
    {
        var owners = new Dictionary<string, string>();
        var stray = new List<string>();
        if (!Directory.Exists(net.StoreDir)) return new Store(owners, stray);
        foreach (string path in Directory.GetFiles(net.StoreDir))
        {
            string name = Path.GetFileName(path);
            if (name == "lock" || LastReservedName().IsMatch(name)) continue;
            if (IPAddress.TryParse(name, out IPAddress? ip) && ip.ToString() == name)
            {
                string owner = File.ReadAllText(path).Trim();
                if (owner.Length > 0) owners[name] = owner;
                else stray.Add(name + " (empty reservation)");
            }
            else stray.Add(name);
        }
        return new Store(owners, stray);
    }

    /// <summary>Host links (the root netns, or the namespace playing the host): name → master name (null when not enslaved).</summary>
    public static Dictionary<string, string?> HostLinks(string? hostNetns = null)
    {
        var links = new Dictionary<string, string?>();
        string[] args = hostNetns is null ? ["link", "show"] : ["-n", hostNetns, "link", "show"];
        foreach (JsonElement link in Shell.IpJson(args).EnumerateArray())
            links[link.GetProperty("ifname").GetString()!] =
                link.TryGetProperty("master", out JsonElement master) ? master.GetString() : null;
        return links;
    }

    /// <summary>"ifname address/prefix" for every non-loopback address in a netns; "ifname" alone for a bare link.</summary>
    public static List<string> ContainerInterfaces(string netns)
    {
        var found = new List<string>();
        foreach (JsonElement link in Shell.IpJson("-n", netns, "addr", "show").EnumerateArray())
        {
            string name = link.GetProperty("ifname").GetString()!;
            if (name == "lo") continue;
            bool any = false;
            foreach (JsonElement a in link.GetProperty("addr_info").EnumerateArray())
            {
                if (a.GetProperty("family").GetString() != "inet") continue; // link-local IPv6 comes and goes
                found.Add($"{name} {a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}");
                any = true;
            }
            if (!any) found.Add(name);
        }
        return found;
    }

    /// <summary>
    /// Every way the network disagrees with "exactly the attached pods exist": reservations (both directions),
    /// duplicate addresses, addresses inside each netns, bridge ports (routed pods: host veths and host routes),
    /// host veths of detached pods, attachment records, residue files in the store. Empty when consistent.
    /// </summary>
    public static List<string> Violations(TestNetwork net, IReadOnlyCollection<StressPod> pods, int parallel = 8, PluginTarget? target = null)
    {
        target ??= PluginTarget.Bridge;
        var problems = new List<string>();
        List<StressPod> live = pods.Where(p => p.IsAttached).ToList();
        List<StressPod> detached = pods.Where(p => !p.IsAttached).ToList();

        foreach (var dup in live.GroupBy(p => p.Address).Where(g => g.Count() > 1))
            problems.Add($"address {dup.Key} handed to {dup.Count()} live pods: {string.Join(", ", dup.Select(p => p.ContainerId))}");

        Store store = ReadStore(net);
        problems.AddRange(store.StrayFiles.Select(f => $"residue file in the store {net.StoreDir}: {f}"));
        var expected = new Dictionary<string, string>();
        foreach (StressPod pod in live)
            expected.TryAdd(pod.Address!, pod.OwnerKey);
        foreach ((string address, string owner) in store.Owners)
        {
            if (!expected.TryGetValue(address, out string? want))
                problems.Add($"reservation {address} belongs to no live pod (owner {Printable(owner)})");
            else if (want != owner)
                problems.Add($"reservation {address} is owned by {Printable(owner)}, but the live pod holding it is {Printable(want)}");
        }
        foreach ((string address, string owner) in expected)
            if (!store.Owners.ContainsKey(address))
                problems.Add($"live pod {Printable(owner)} holds {address} without a reservation");

        Dictionary<string, string?> links = HostLinks(target.NodeNetns);
        if (target.IsRouted) problems.AddRange(RoutedHostViolations(links, live, target.NodeNetns!));
        else problems.AddRange(BridgePortViolations(links, live, net.Bridge));
        foreach (StressPod pod in detached)
            if (links.ContainsKey(pod.HostVeth))
                problems.Add($"{pod}: host veth {pod.HostVeth} outlived the pod's attachment");

        var liveRecords = live.Select(p => p.RecordName).ToHashSet();
        problems.AddRange(net.AttachmentRecords().Where(r => !liveRecords.Contains(r)).Select(r => $"attachment record {r} belongs to no live pod"));

        var netnsProblems = new ConcurrentBag<string>();
        var kernelAddresses = new ConcurrentBag<(string Address, StressPod Pod)>();
        List<(StressPod Pod, Exception Error)> failed = ParallelWork.ForEach(pods.ToList(), parallel, pod =>
        {
            List<string> inside = ContainerInterfaces(pod.NetnsName);
            foreach (string entry in inside.Where(e => e.Contains(' ')))
                kernelAddresses.Add((entry.Split(' ')[1].Split('/')[0], pod));
            List<string> want = pod.IsAttached ? [$"{StressPod.IfName} {pod.Address}/{PrefixOf(pod)}"] : [];
            if (!inside.Order().SequenceEqual(want))
                netnsProblems.Add($"{pod}: netns holds [{string.Join(", ", inside)}], expected [{string.Join(", ", want)}]");
        });
        problems.AddRange(netnsProblems);
        // What the kernel holds, independently of what the results claim.
        foreach (var dup in kernelAddresses.GroupBy(k => k.Address).Where(g => g.Count() > 1))
            problems.Add($"address {dup.Key} is configured in {dup.Count()} netns: {string.Join(", ", dup.Select(k => k.Pod.NetnsName))}");
        problems.AddRange(failed.Select(f => $"{f.Pod}: cannot read its netns: {f.Error.Message}"));
        return problems;
    }

    /// <summary>Every live pod's host veth is a port of the bridge, and the bridge has no other port.</summary>
    private static IEnumerable<string> BridgePortViolations(Dictionary<string, string?> links, List<StressPod> live, string bridge)
    {
        var ports = links.Where(l => l.Value == bridge).Select(l => l.Key).ToHashSet();
        foreach (StressPod pod in live)
            if (!ports.Remove(pod.HostVeth))
                yield return $"{pod}: host veth {pod.HostVeth} is not a port of {bridge}";
        foreach (string port in ports)
            yield return $"port {port} of {bridge} belongs to no live pod";
    }

    /// <summary>Every live pod has its host veth and exactly one host route per address out of it; nothing else is routed to a veth.</summary>
    private static IEnumerable<string> RoutedHostViolations(Dictionary<string, string?> links, List<StressPod> live, string nodeNetns)
    {
        foreach (StressPod pod in live.Where(p => !links.ContainsKey(p.HostVeth)))
            yield return $"{pod}: host veth {pod.HostVeth} is missing from {nodeNetns}";
        var expected = live.SelectMany(p => p.Result!.Value.GetProperty("ips").EnumerateArray()
            .Select(ip => $"{ip.GetProperty("address").GetString()} {p.HostVeth}")).ToHashSet();
        var routes = NodeNamespace.PodRoutesIn(nodeNetns).ToHashSet();
        foreach (string route in routes.Except(expected))
            yield return $"host route {route} belongs to no live pod";
        foreach (string route in expected.Except(routes))
            yield return $"host route {route} of a live pod is missing";
    }

    /// <summary>Fails with every violation listed (up to a screenful), prefixed by what was being checked.</summary>
    public static void AssertConsistent(TestNetwork net, IReadOnlyCollection<StressPod> pods, string when, PluginTarget? target = null)
    {
        List<string> problems = Violations(net, pods, target: target);
        Assert.True(problems.Count == 0,
            $"{when}: {problems.Count} inconsistencies:\n  " + string.Join("\n  ", problems.Take(40)));
    }

    private static int PrefixOf(StressPod pod) =>
        int.Parse(pod.Result!.Value.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!)
            .First(a => !a.Contains(':')).Split('/')[1]);

    private static string Printable(string owner) => owner.Replace("\r\n", "/");

    [GeneratedRegex(@"^last_reserved_ip\.[0-9]+$")]
    private static partial Regex LastReservedName();
}
