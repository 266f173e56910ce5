using System.Text.Json;

namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>
/// Executes the published binary the way a runtime does: CNI_* environment, config on stdin, JSON on stdout.
/// The binary comes from CNISHARP_BIN_DIR (scripts/test.sh sets it), else the repo's artifacts/cni/bin.
/// </summary>
public static class CniPluginRunner
{
    public static string BinDir { get; } = FindBinDir();

    public sealed record Invocation(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement.Clone();

        public int ErrorCode => Json.GetProperty("code").GetInt32();

        public string ErrorMessage => Json.GetProperty("msg").GetString() ?? "";

        public override string ToString() => $"exit {ExitCode}; stdout: {Stdout}; stderr: {Stderr}";
    }

    /// <param name="hostNetns">Runs the plugin inside this namespace (ip netns exec), which then plays the host.</param>
    public static Invocation Run(string plugin, string command, string config, string containerId = "", string? netns = null,
        string ifName = "", string? cniArgs = null, string? cniPath = null, IDictionary<string, string>? extraEnv = null,
        string? hostNetns = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = netns ?? "",
            ["CNI_IFNAME"] = ifName,
            ["CNI_PATH"] = cniPath ?? BinDir,
        };
        if (cniArgs is not null) env["CNI_ARGS"] = cniArgs;
        if (extraEnv is not null)
            foreach (var (k, v) in extraEnv) env[k] = v;
        string[] argv = Argv(plugin, hostNetns);
        Shell.Output o = Shell.Run(argv[0], argv[1..], env, config);
        return new Invocation(o.ExitCode, o.Stdout, o.Stderr);
    }

    /// <summary>The command line that runs a plugin on the host, or on a namespace playing the host.</summary>
    public static string[] Argv(string plugin, string? hostNetns = null) =>
        hostNetns is null
            ? [Path.Combine(BinDir, plugin)]
            : ["ip", "netns", "exec", hostNetns, Path.Combine(BinDir, plugin)];

    private static string FindBinDir()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("CNISHARP_BIN_DIR");
        if (!string.IsNullOrEmpty(fromEnv)) return Path.GetFullPath(fromEnv);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CniSharp.sln")))
                return Path.Combine(dir.FullName, "artifacts", "cni", "bin");
        throw new InvalidOperationException("cannot find the repository root (CniSharp.sln) to locate artifacts/cni/bin");
    }

    /// <summary>Fails with the build command when the binary is missing, instead of a confusing exec error.</summary>
    public static void RequireBinary()
    {
        if (!File.Exists(Path.Combine(BinDir, "cnisharp")))
            throw new InvalidOperationException($"no cnisharp binary in {BinDir}: run scripts/build.sh first (scripts/test.sh does)");
    }
}
