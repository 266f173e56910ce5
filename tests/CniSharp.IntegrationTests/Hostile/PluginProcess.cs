using System.Diagnostics;
using System.Text;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>What one execution of the plugin did.</summary>
/// <param name="PeakRssKiB">wait4()'s ru_maxrss of the plugin (0 when not measured).</param>
internal sealed record PluginRun(int ExitCode, string Stdout, string Stderr, bool TimedOut, long PeakRssKiB)
{
    /// <summary>A signal ends a process with 128 + its number (.NET reports it that way).</summary>
    public bool Crashed => ExitCode >= 128;

    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (TIMED OUT)" : "")}; stdout: {Clip(Stdout)}; stderr: {Clip(Stderr)}";

    private static string Clip(string s) => s.Length <= 2000 ? s : s[..2000] + $"... ({s.Length} chars)";
}

/// <summary>
/// Runs the plugin the hostile way: stdin as raw bytes through a pipe (a reader that stops early must not make the
/// writer fail the test), variables that may be absent rather than empty, a hard timeout, and optionally the peak
/// resident set size, from wait4() through <see cref="PeakRssLauncher"/> (stdin then comes from a file).
/// </summary>
internal static class PluginProcess
{
    public static PluginRun Run(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string?> env, byte[] stdin,
        string workingDirectory, TimeSpan timeout, bool measureMemory = false)
    {
        if (measureMemory) return RunMeasured(argv, env, stdin, workingDirectory, timeout);
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in argv.Skip(1)) psi.ArgumentList.Add(a);
        SetEnvironment(psi, env);

        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Task writer = Task.Run(() => Feed(p.StandardInput.BaseStream, stdin));
        bool exited = WaitOrKill(p, timeout);
        writer.Wait(TimeSpan.FromSeconds(10));
        return new PluginRun(p.ExitCode, stdout.Result, stderr.Result, !exited, 0);
    }

    /// <summary>The plugin under spawn-measure: its stdin, stdout and stderr are files in a scratch dir.</summary>
    private static PluginRun RunMeasured(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string?> env, byte[] stdin,
        string workingDirectory, TimeSpan timeout)
    {
        string scratch = Directory.CreateTempSubdirectory("cnisharp-measured-").FullName;
        try
        {
            string input = Path.Combine(scratch, "stdin"), output = Path.Combine(scratch, "stdout"), errors = Path.Combine(scratch, "stderr");
            File.WriteAllBytes(input, stdin);
            var psi = new ProcessStartInfo(PeakRssLauncher.Path)
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            // spawn-measure execv()s without a PATH search; env(1) does the search and execs in the same process.
            string[] program = Path.IsPathRooted(argv[0]) ? [.. argv] : ["/usr/bin/env", .. argv];
            foreach (string a in (string[])[input, output, errors, .. program]) psi.ArgumentList.Add(a);
            SetEnvironment(psi, env);
            using var p = Process.Start(psi)!;
            Task<string> report = p.StandardOutput.ReadToEndAsync();
            bool exited = WaitOrKill(p, timeout);
            // "<exit code> <elapsed ns> <max RSS KiB>"
            string[] fields = report.Result.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (exited && fields.Length != 3)
                throw new InvalidOperationException($"spawn-measure reported \"{report.Result}\" (exit {p.ExitCode})");
            int code = exited ? int.Parse(fields[0]) : -1;
            long peak = exited ? long.Parse(fields[2]) : 0;
            return new PluginRun(code, File.ReadAllText(output), File.ReadAllText(errors), !exited, peak);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void SetEnvironment(ProcessStartInfo psi, IReadOnlyDictionary<string, string?> env)
    {
        // Hermetic: nothing CNI- or CniSharp-specific leaks in from the test runner's environment.
        foreach (string key in psi.Environment.Keys.Where(k => k.StartsWith("CNI_") || k.StartsWith("CNISHARP_")).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in env)
            if (v is not null) psi.Environment[k] = v;
    }

    private static bool WaitOrKill(Process p, TimeSpan timeout)
    {
        if (p.WaitForExit(timeout)) return true;
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        return false;
    }

    /// <summary>Writes everything, or until the plugin closes its end (EPIPE): a plugin may refuse to read more.</summary>
    private static void Feed(Stream input, byte[] data)
    {
        try
        {
            for (int offset = 0; offset < data.Length; offset += 64 * 1024)
                input.Write(data, offset, Math.Min(64 * 1024, data.Length - offset));
            input.Close();
        }
        catch (IOException)
        {
            // The plugin stopped reading and exited; what it printed is what the test judges.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
