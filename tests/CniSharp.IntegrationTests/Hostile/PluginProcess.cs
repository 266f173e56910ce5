using System.Diagnostics;
using System.Text;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>What one execution of the plugin did.</summary>
/// <param name="PeakRssKiB">The highest VmHWM seen while polling (0 when not measured).</param>
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
/// resident set size polled from /proc/&lt;pid&gt;/status.
/// </summary>
internal static class PluginProcess
{
    public static PluginRun Run(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string?> env, byte[] stdin,
        string workingDirectory, TimeSpan timeout, bool measureMemory = false)
    {
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
        // Hermetic: nothing CNI- or CniSharp-specific leaks in from the test runner's environment.
        foreach (string key in psi.Environment.Keys.Where(k => k.StartsWith("CNI_") || k.StartsWith("CNISHARP_")).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in env)
            if (v is not null) psi.Environment[k] = v;

        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Task writer = Task.Run(() => Feed(p.StandardInput.BaseStream, stdin));
        Task<long> peak = measureMemory ? Task.Factory.StartNew(() => PollPeakRss(p), TaskCreationOptions.LongRunning) : Task.FromResult(0L);

        bool exited = p.WaitForExit(timeout);
        if (!exited)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        writer.Wait(TimeSpan.FromSeconds(10));
        return new PluginRun(p.ExitCode, stdout.Result, stderr.Result, !exited, peak.Result);
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

    /// <summary>
    /// VmHWM is the peak of the current address space; exec starts a new one, so wrapper processes (ip netns exec,
    /// unshare) that exec the plugin do not inflate it. Polling every millisecond can miss only the final instants.
    /// </summary>
    private static long PollPeakRss(Process p)
    {
        long peak = 0;
        string path = $"/proc/{p.Id}/status";
        while (!p.HasExited)
        {
            try
            {
                foreach (string line in File.ReadLines(path))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
            }
            catch (IOException)
            {
                break; // reaped between HasExited and the read
            }
            Thread.Sleep(1);
        }
        return peak;
    }
}
