using System.Diagnostics;
using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// A plugin run that the node loses mid-way: the process gets SIGKILL (no handler, no rollback, no flush) a
/// chosen time after it was started, the way an OOM kill or a runtime crash ends it.
/// </summary>
internal static class InterruptedRun
{
    private const int KilledExitCode = 128 + 9; // .NET reports a SIGKILLed child as 128 + the signal number

    /// <param name="Killed">SIGKILL ended it; otherwise it ran to its own exit.</param>
    /// <param name="Lifetime">From the process start to its end, as this side saw it.</param>
    public sealed record Outcome(bool Killed, int ExitCode, string Stdout, string Stderr, TimeSpan Lifetime)
    {
        public bool Completed => !Killed && ExitCode == 0;

        public JsonElement Result => JsonDocument.Parse(Stdout).RootElement.Clone();

        public override string ToString() =>
            $"{(Killed ? "killed" : $"exit {ExitCode}")} after {Lifetime.TotalMilliseconds:0.0} ms; stdout: {Stdout}; stderr: {Stderr}";
    }

    /// <summary>Runs the verb for the pod and kills it after killAfter; null lets it finish (to measure it).</summary>
    public static Outcome Run(string verb, string config, StressPod pod, TimeSpan? killAfter)
    {
        string[] argv = pod.Target.Argv;
        var psi = new ProcessStartInfo(argv[0], argv[1..])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["CNI_COMMAND"] = verb;
        psi.Environment["CNI_CONTAINERID"] = pod.ContainerId;
        psi.Environment["CNI_NETNS"] = pod.NetnsPath;
        psi.Environment["CNI_IFNAME"] = StressPod.IfName;
        psi.Environment["CNI_PATH"] = CniPluginRunner.BinDir;

        using Process process = Process.Start(psi)!;
        // Process.Start returns once the child has exec'd, so the clock starts with the plugin's own code (or with
        // ip netns exec, which execs the plugin in place: the SIGKILL still lands on the plugin).
        var clock = Stopwatch.StartNew();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.Write(config);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The kill can come before the plugin read its config (EPIPE); that is one of the points we aim at.
        }

        if (killAfter is TimeSpan delay)
        {
            // Sleep most of the way, then spin: Sleep alone overshoots by up to a scheduler tick.
            TimeSpan coarse = delay - TimeSpan.FromMilliseconds(1.5);
            if (coarse > TimeSpan.Zero) process.WaitForExit(coarse);
            while (clock.Elapsed < delay && !process.HasExited) Thread.SpinWait(50);
            try
            {
                if (!process.HasExited) process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill: a complete run, reported as such below.
            }
        }
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"{verb} of {pod.ContainerId} did not finish in 60 s");
        }
        process.WaitForExit(); // drains the output readers
        TimeSpan lifetime = clock.Elapsed;
        return new Outcome(process.ExitCode == KilledExitCode, process.ExitCode, stdout.Result, stderr.Result, lifetime);
    }
}
