using System.Text.Json;
using System.Text.Json.Nodes;

namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>
/// A small libcni for tests: runs a conflist's plugins the way a runtime does. Each plugin gets its own object
/// plus the list's "name" and "cniVersion", a "runtimeConfig" holding only the capability args it declares in
/// "capabilities", and on ADD the previous plugin's result as "prevResult". CHECK and DEL get the final ADD result;
/// DEL runs in reverse order. GC and STATUS (1.1.0) get no container. Plugins are found by type in CNI_PATH.
/// Dispose runs a best-effort DEL when an ADD happened and no DEL succeeded, so a failing test leaves nothing.
/// </summary>
public sealed class ChainRunner(
    JsonObject conflist,
    string containerId,
    string netns,
    string ifName = "eth0",
    string? cniArgs = null,
    IReadOnlyDictionary<string, JsonNode?>? capabilityArgs = null,
    IReadOnlyList<string>? cniPath = null) : IDisposable
{
    /// <summary>Our binaries first, then the reference plugins, as a node with both installed would have it.</summary>
    public static IReadOnlyList<string> DefaultCniPath => [CniPluginRunner.BinDir, ReferencePluginFactAttribute.Dir];

    private readonly IReadOnlyList<string> _cniPath = cniPath ?? DefaultCniPath;
    private bool _added;
    private bool _deleted;
    private JsonElement? _cachedResult;

    /// <summary>One plugin invocation: its type, the exact config it read on stdin, and what it answered.</summary>
    public sealed record Step(string Type, JsonObject Stdin, CniPluginRunner.Invocation Output)
    {
        public bool Succeeded => Output.ExitCode == 0;

        public override string ToString() => $"{Type}: {Output}";
    }

    /// <summary>The invocations of one verb, stopped at the first failure (libcni does the same).</summary>
    public sealed record Outcome(IReadOnlyList<Step> Steps)
    {
        public bool Succeeded => Steps.All(s => s.Succeeded);

        public Step? Failed => Steps.FirstOrDefault(s => !s.Succeeded);

        /// <summary>ADD only: the last plugin's result, which the runtime caches and hands to CHECK and DEL.</summary>
        public JsonElement Result => Steps[^1].Output.Json;

        /// <summary>Fails the test with every plugin's output unless all succeeded.</summary>
        public Outcome ShouldSucceed()
        {
            Assert.True(Succeeded, ToString());
            return this;
        }

        public override string ToString() => string.Join(" | ", Steps);
    }

    public string ContainerId => containerId;

    public string CniVersion => conflist["cniVersion"]!.GetValue<string>();

    private string NetworkName => conflist["name"]!.GetValue<string>();

    private List<JsonObject> Plugins => conflist["plugins"]!.AsArray().Select(p => p!.AsObject()).ToList();

    public Outcome Add()
    {
        _added = true;
        var steps = new List<Step>();
        JsonElement? prev = null;
        foreach (JsonObject plugin in Plugins)
        {
            Step step = Invoke(plugin, "ADD", prev, includeContainer: true);
            steps.Add(step);
            if (!step.Succeeded) break;
            prev = step.Output.Json;
        }
        // A runtime caches only a complete ADD's result.
        _cachedResult = steps.All(s => s.Succeeded) ? prev : null;
        return new Outcome(steps);
    }

    /// <summary>CHECK every plugin, in order, with the final ADD result.</summary>
    public Outcome Check(JsonElement finalResult) => InvokeAll("CHECK", Plugins, finalResult);

    /// <summary>DEL every plugin, newest first, with the final ADD result (null: none cached, e.g. ADD failed).</summary>
    public Outcome Del(JsonElement? finalResult)
    {
        Outcome outcome = InvokeAll("DEL", Enumerable.Reverse(Plugins).ToList(), PrevResultForDel(finalResult));
        _deleted |= outcome.Succeeded;
        return outcome;
    }

    /// <summary>GC (1.1.0): every plugin, with the attachments that are still valid under both key spellings.</summary>
    public Outcome Gc(IEnumerable<(string ContainerId, string IfName)> validAttachments)
    {
        var valid = new JsonArray(validAttachments
            .Select(a => (JsonNode)new JsonObject { ["containerID"] = a.ContainerId, ["ifname"] = a.IfName }).ToArray());
        return InvokeAll("GC", Plugins, null, includeContainer: false, extra: conf =>
        {
            conf["cni.dev/valid-attachments"] = valid.DeepClone();
            conf["cni.dev/attachments"] = valid.DeepClone();
        });
    }

    /// <summary>STATUS (1.1.0): every plugin, no container, stopping at the first that is not ready.</summary>
    public Outcome Status() => InvokeAll("STATUS", Plugins, null, includeContainer: false);

    /// <summary>Best effort: a test that failed between ADD and DEL still releases addresses, rules and links.</summary>
    public void Dispose()
    {
        if (_added && !_deleted)
            InvokeAll("DEL", Enumerable.Reverse(Plugins).ToList(), PrevResultForDel(_cachedResult));
    }

    // libcni caches and sends prevResult on DEL only for configs newer than 0.3.1.
    private JsonElement? PrevResultForDel(JsonElement? finalResult) =>
        CniVersion is "0.1.0" or "0.2.0" or "0.3.0" or "0.3.1" ? null : finalResult;

    private Outcome InvokeAll(string command, List<JsonObject> plugins, JsonElement? prevResult, bool includeContainer = true,
        Action<JsonObject>? extra = null)
    {
        var steps = new List<Step>();
        foreach (JsonObject plugin in plugins)
        {
            Step step = Invoke(plugin, command, prevResult, includeContainer, extra);
            steps.Add(step);
            if (!step.Succeeded) break;
        }
        return new Outcome(steps);
    }

    private Step Invoke(JsonObject plugin, string command, JsonElement? prevResult, bool includeContainer,
        Action<JsonObject>? extra = null)
    {
        JsonObject conf = PluginConfig(plugin, prevResult);
        extra?.Invoke(conf);
        string type = plugin["type"]!.GetValue<string>();
        CniPluginRunner.Invocation output = CniPluginRunner.Run(
            Resolve(type), command, conf.ToJsonString(),
            containerId: includeContainer ? containerId : "",
            netns: includeContainer ? netns : "",
            ifName: includeContainer ? ifName : "",
            cniArgs: includeContainer ? cniArgs : null,
            cniPath: string.Join(':', _cniPath));
        return new Step(type, conf, output);
    }

    /// <summary>The plugin object as libcni's buildOneConfig sends it.</summary>
    private JsonObject PluginConfig(JsonObject plugin, JsonElement? prevResult)
    {
        JsonObject conf = plugin.DeepClone().AsObject();
        conf["name"] = NetworkName;
        conf["cniVersion"] = CniVersion;
        JsonObject runtimeConfig = RuntimeConfigFor(plugin);
        if (runtimeConfig.Count > 0) conf["runtimeConfig"] = runtimeConfig;
        if (prevResult is JsonElement prev) conf["prevResult"] = JsonNode.Parse(prev.GetRawText());
        return conf;
    }

    /// <summary>Only the capabilities the plugin declares true, and only those the runtime has values for.</summary>
    private JsonObject RuntimeConfigFor(JsonObject plugin)
    {
        var runtimeConfig = new JsonObject();
        if (capabilityArgs is null || plugin["capabilities"] is not JsonObject declared) return runtimeConfig;
        foreach (var (capability, supported) in declared)
            if (supported is JsonValue v && v.TryGetValue(out bool on) && on && capabilityArgs.TryGetValue(capability, out JsonNode? value))
                runtimeConfig[capability] = value?.DeepClone();
        return runtimeConfig;
    }

    private string Resolve(string type)
    {
        foreach (string dir in _cniPath)
        {
            string candidate = Path.Combine(dir, type);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"plugin \"{type}\" not found in CNI_PATH {string.Join(':', _cniPath)}");
    }
}
