using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>
/// A seeded, bounded fuzz run of mutated configs through ADD (and DEL when ADD succeeds) of the built binary, in a
/// sandbox of its own. Every run must end in a valid result or a valid error with a known code, never a crash,
/// an unhandled exception or a hang; and it must leave no veth, no container interface and no reservation behind.
/// CNISHARP_FUZZ_SEED and CNISHARP_FUZZ_COUNT replay or widen a run; a failure prints the seed and each config.
/// </summary>
public class ConfigFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_251_121;
    private const int DefaultCount = 1500;
    private const int MaxReportedFailures = 5;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(10);

    [RootFact]
    public void MutatedConfigs_AlwaysGetAValidAnswer_AndLeaveNothingBehind()
    {
        CniPluginRunner.RequireBinary();
        int seed = EnvInt("CNISHARP_FUZZ_SEED", DefaultSeed);
        int count = EnvInt("CNISHARP_FUZZ_COUNT", DefaultCount);
        output.WriteLine($"fuzz seed={seed} count={count} (replay with CNISHARP_FUZZ_SEED={seed} CNISHARP_FUZZ_COUNT={count})");

        using var sandbox = new HostileSandbox(withResident: false);
        var mutator = new ConfigMutator(seed, sandbox.DataDir, sandbox.StateDir);
        var failures = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();

        for (int i = 0; i < count && failures.Count < MaxReportedFailures; i++)
        {
            JsonObject config = BaseConfig(sandbox, i % BaseConfigCount);
            byte[] stdin = mutator.Mutate(config);
            string containerId = $"fuzz{i}";
            string? problem = RunOne(sandbox, stdin, containerId, out string outcome, out string message);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (outcome == "code 999") output.WriteLine($"#{i} code 999: {message}");
            if (problem is not null)
                failures.Add($"#{i} (seed {seed}): {problem}\n  config: {Show(stdin)}");
        }

        output.WriteLine($"{count} configs in {clock.Elapsed.TotalSeconds:0.0} s; outcomes: " +
            string.Join(", ", outcomes.Select(o => $"{o.Key} x{o.Value}")));
        Assert.True(failures.Count == 0,
            $"fuzz seed {seed}: {failures.Count} failing config(s) (replay: CNISHARP_FUZZ_SEED={seed} CNISHARP_FUZZ_COUNT={count})\n\n" +
            string.Join("\n\n", failures));
    }

    /// <summary>ADD, then DEL if ADD succeeded; returns what went wrong, or null.</summary>
    private static string? RunOne(HostileSandbox sandbox, byte[] stdin, string containerId, out string outcome, out string message)
    {
        PluginRun add = sandbox.Run(stdin, sandbox.Env("ADD", containerId), timeout: RunTimeout);
        message = "";
        if (add.ExitCode != 0)
        {
            outcome = "broken";
            if (CniErrorAssert.ErrorProblem(add) is { } bad) return $"ADD: {bad}; {add}";
            JsonElement error = JsonDocument.Parse(add.Stdout).RootElement;
            outcome = $"code {error.GetProperty("code").GetInt32()}";
            message = error.GetProperty("msg").GetString()!;
            return Leftovers(sandbox, containerId) is { } left ? $"failed ADD left {left}; {add}" : null;
        }

        outcome = "success";
        if (CniErrorAssert.CommonProblem(add) is { } common) return $"ADD: {common}; {add}";
        if (ResultProblem(add.Stdout) is { } result) return $"ADD: {result}; {add}";
        PluginRun del = sandbox.Run(stdin, sandbox.Env("DEL", containerId), timeout: RunTimeout);
        if (CniErrorAssert.CommonProblem(del) is { } delCommon) return $"DEL after a successful ADD: {delCommon}; {del}";
        if (del.ExitCode != 0 || del.Stdout != "") return $"DEL after a successful ADD failed: {del}";
        return Leftovers(sandbox, containerId) is { } leftDel ? $"ADD + DEL left {leftDel}" : null;
    }

    private static string? ResultProblem(string stdout)
    {
        try
        {
            JsonElement result = JsonDocument.Parse(stdout).RootElement;
            return result.ValueKind == JsonValueKind.Object && result.TryGetProperty("cniVersion", out JsonElement v) && v.ValueKind == JsonValueKind.String
                ? null
                : "the result is not an object with a cniVersion";
        }
        catch (JsonException e)
        {
            return "stdout is not one JSON result: " + e.Message;
        }
    }

    /// <summary>What a finished ADD/DEL pair or a failed ADD must not leave: host veths, container links, reservations.</summary>
    private static string? Leftovers(HostileSandbox sandbox, string containerId)
    {
        var left = new List<string>();
        foreach (JsonElement link in Shell.IpJson("-n", sandbox.Host.Name, "-d", "link", "show", "type", "veth").EnumerateArray())
            left.Add("host veth " + link.GetProperty("ifname").GetString());
        foreach (JsonElement link in Shell.IpJson("-n", sandbox.Target.Name, "link", "show").EnumerateArray())
            if (link.GetProperty("ifname").GetString() != "lo")
                left.Add("container link " + link.GetProperty("ifname").GetString());
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (string file in Directory.EnumerateFiles(sandbox.DataDir, "*", options))
            if (System.Net.IPAddress.TryParse(Path.GetFileName(file), out _))
                left.Add($"reservation {Path.GetRelativePath(sandbox.DataDir, file)} ({File.ReadAllText(file).Replace("\r\n", " ")})");
        if (left.Count == 0) return null;
        // Clean up so one leak is reported once, not by every later config.
        foreach (JsonElement link in Shell.IpJson("-n", sandbox.Host.Name, "link", "show", "type", "veth").EnumerateArray())
            Shell.Run("ip", ["-n", sandbox.Host.Name, "link", "del", link.GetProperty("ifname").GetString()!]);
        foreach (string file in Directory.EnumerateFiles(sandbox.DataDir, "*", options))
            if (System.Net.IPAddress.TryParse(Path.GetFileName(file), out _)) File.Delete(file);
        return string.Join(", ", left);
    }

    private const int BaseConfigCount = 4;

    /// <summary>Valid starting points: IPv4 gateway, dual stack with every range key, L2-only, legacy 0.3.1 with runtime keys.</summary>
    private static JsonObject BaseConfig(HostileSandbox s, int which) => which switch
    {
        0 => s.BaseConfig(),
        1 => JsonNode.Parse($$$"""
            {"cniVersion":"1.0.0","name":"{{{s.Network}}}-ds","type":"cnisharp-bridge","bridge":"{{{s.Bridge}}}","stateDir":"{{{s.StateDir}}}",
             "isDefaultGateway":true,"mtu":1400,"hairpinMode":true,"dns":{"nameservers":["10.96.0.10"],"search":["svc.local"]},
             "ipam":{"type":"cnisharp-host-local","dataDir":"{{{s.DataDir}}}",
                     "ranges":[[{"subnet":"10.99.1.0/24","rangeStart":"10.99.1.10","rangeEnd":"10.99.1.200","gateway":"10.99.1.1"}],
                               [{"subnet":"fd00:99:1::/64"}]],
                     "routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0"},{"dst":"192.0.2.0/24","gw":"10.99.1.1"}]}}
            """)!.AsObject(),
        2 => JsonNode.Parse($$$"""
            {"cniVersion":"1.1.0","name":"{{{s.Network}}}-l2","type":"cnisharp-bridge","bridge":"{{{s.Bridge}}}l2","stateDir":"{{{s.StateDir}}}",
             "promiscMode":true,"ipam":{}}
            """)!.AsObject(),
        _ => JsonNode.Parse($$$"""
            {"cniVersion":"0.3.1","name":"{{{s.Network}}}-legacy","type":"cnisharp-bridge","bridge":"{{{s.Bridge}}}","stateDir":"{{{s.StateDir}}}",
             "isGateway":true,"capabilities":{"ips":true,"mac":true},
             "runtimeConfig":{"ips":["10.99.2.7/24"],"mac":"02:42:ac:11:00:09"},"args":{"cni":{"ips":["10.99.2.7"]}},
             "ipam":{"type":"cnisharp-host-local","dataDir":"{{{s.DataDir}}}","subnet":"10.99.2.0/24","gateway":"10.99.2.1"}}
            """)!.AsObject(),
    };

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(System.Environment.GetEnvironmentVariable(name), out int value) ? value : fallback;

    /// <summary>The config as sent, escaped so control characters and invalid bytes stay visible; long ones clipped.</summary>
    private static string Show(byte[] stdin)
    {
        string text = Encoding.UTF8.GetString(stdin);
        var shown = new StringBuilder();
        foreach (char c in text.Length > 4000 ? text[..4000] : text)
            shown.Append(c < 0x20 || c == '\uFFFD' ? $"\\u{(int)c:x4}" : c.ToString());
        if (text.Length > 4000) shown.Append($"... ({stdin.Length} bytes)");
        return shown.ToString();
    }
}
