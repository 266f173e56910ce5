using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>
/// A world for hostile invocations that nothing else shares. The plugin runs inside a throwaway network namespace
/// that plays the host (ip netns exec), so every bridge and veth it makes, and every sysctl it flips, stays there:
/// snapshots of "the host" are exact even while other tests create links next door, and deleting the namespace
/// removes whatever a buggy run left. A resident pod is attached first, so a hostile run also has something
/// to break: its veth, its address, its reservation and its attachment record must all survive unchanged.
/// </summary>
internal sealed class HostileSandbox : IDisposable
{
    public const string PluginName = "cnisharp-bridge";
    public const string DefaultSubnet = "10.99.0.0/24";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<TestNamespace> _namespaces = [];

    public HostileSandbox(string subnet = DefaultSubnet, bool withResident = true)
    {
        Subnet = subnet;
        Root = Unique.TempDir("hostile");
        DataDir = Directory.CreateDirectory(Path.Combine(Root, "ipam")).FullName;
        StateDir = Directory.CreateDirectory(Path.Combine(Root, "state")).FullName;
        WorkDir = Directory.CreateDirectory(Path.Combine(Root, "cwd")).FullName;
        try
        {
            Host = NewNamespace("hhost");
            Target = NewNamespace("htgt");
            if (withResident)
            {
                Resident = NewNamespace("hres");
                PluginRun add = Run(Bytes(Config()), Env("ADD", ResidentId, Resident.Path));
                if (add.ExitCode != 0)
                    throw new InvalidOperationException("the resident pod's ADD failed: " + add);
                ResidentResult = JsonDocument.Parse(add.Stdout).RootElement.Clone();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Subnet { get; }
    public string Root { get; }
    public string DataDir { get; }
    public string StateDir { get; }

    /// <summary>The plugin's working directory: a relative path in a config lands here, never in the test's directory.</summary>
    public string WorkDir { get; }

    public TestNamespace Host { get; } = null!;
    public TestNamespace Target { get; } = null!;
    public TestNamespace? Resident { get; }
    public JsonElement? ResidentResult { get; }

    public string Bridge { get; } = "hb" + Unique.Hex(8);
    public string Network { get; } = "hostile-" + Unique.Hex(8);
    public string ResidentId { get; } = Unique.ContainerId();
    public string TargetId { get; } = Unique.ContainerId();

    public string ResidentAddress => ResidentResult?.GetProperty("ips")[0].GetProperty("address").GetString() ?? "";

    public TestNamespace NewNamespace(string purpose)
    {
        var ns = new TestNamespace(purpose);
        _namespaces.Add(ns);
        // No DAD: a link-local address is final at once instead of "tentative" for a second or two, which would
        // make two snapshots differ (a late local route) for no reason of the plugin's.
        Shell.Run("ip", ["netns", "exec", ns.Name, "sh", "-c",
            "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad"]);
        return ns;
    }

    public JsonObject BaseConfig(string? subnet = null) => new()
    {
        ["cniVersion"] = "1.1.0",
        ["name"] = Network,
        ["type"] = PluginName,
        ["bridge"] = Bridge,
        ["isGateway"] = true,
        ["stateDir"] = StateDir,
        ["ipam"] = new JsonObject
        {
            ["type"] = "cnisharp-host-local",
            ["ranges"] = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = subnet ?? Subnet } } },
            ["dataDir"] = DataDir,
        },
    };

    /// <summary>The sandbox's config, edited.</summary>
    public string Config(Action<JsonObject>? edit = null)
    {
        JsonObject conf = BaseConfig();
        edit?.Invoke(conf);
        return conf.ToJsonString();
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The CNI_* variables of a container verb; the target pod's unless told otherwise.</summary>
    public Dictionary<string, string?> Env(string command = "ADD", string? containerId = null, string? netns = null, string ifName = "eth0") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId ?? TargetId,
        ["CNI_NETNS"] = netns ?? Target.Path,
        ["CNI_IFNAME"] = ifName,
        ["CNI_PATH"] = CniPluginRunner.BinDir,
    };

    /// <summary>Runs the plugin inside the fake host, optionally behind a wrapper command (e.g. a private mount namespace).</summary>
    public PluginRun Run(byte[] stdin, IReadOnlyDictionary<string, string?> env, IReadOnlyList<string>? wrapper = null,
        bool measureMemory = false, TimeSpan? timeout = null)
    {
        List<string> argv = [.. wrapper ?? [], "ip", "netns", "exec", Host.Name, Path.Combine(CniPluginRunner.BinDir, PluginName)];
        return PluginProcess.Run(argv, env, stdin, WorkDir, timeout ?? Timeout, measureMemory);
    }

    /// <summary>The fake host, every pod namespace, the IPAM data dir and the state dir.</summary>
    public SandboxSnapshot Snapshot()
    {
        var namespaces = new List<(string, string)> { ("host", Host.Name), ("target", Target.Name) };
        if (Resident is not null) namespaces.Add(("resident", Resident.Name));
        return SandboxSnapshot.Take(namespaces, [("dataDir", DataDir), ("stateDir", StateDir), ("cwd", WorkDir)]);
    }

    public void Dispose()
    {
        // Deleting the fake host removes the bridge and every host veth with it, whatever a run left behind.
        foreach (TestNamespace ns in _namespaces) ns.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
