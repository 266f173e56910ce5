using System.Diagnostics;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>
/// scripts/lib/spawn-measure.c, compiled once per test run: it forks, execs the plugin and reports wait4()'s
/// ru_maxrss, the exact peak. Polling /proc/PID/status raced the plugin: a static binary that refuses its input
/// in a few milliseconds could exit before the first sample, leaving nothing measured.
/// </summary>
internal static class PeakRssLauncher
{
    private static readonly Lazy<string> s_path = new(Compile);

    public static string Path => s_path.Value;

    private static string Compile()
    {
        string source = System.IO.Path.Combine(RepoRoot(), "scripts", "lib", "spawn-measure.c");
        string binary = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cnisharp-spawn-measure-{Environment.ProcessId}");
        using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-o", binary, source]) { RedirectStandardError = true })!;
        string errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0) throw new InvalidOperationException($"gcc {source} failed: {errors}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(binary);
        return binary;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CniSharp.sln"))) return dir.FullName;
        throw new InvalidOperationException("CniSharp.sln not found above " + AppContext.BaseDirectory);
    }
}
