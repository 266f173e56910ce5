using System.Diagnostics;
using System.Globalization;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// A running BIRD of this node: one the agent started (its child, foreground, <c>bird -f</c>) or one it adopted
/// (left running by a previous agent with --bird-keep-on-exit, found through the pid file under --state-dir).
/// </summary>
internal sealed class BirdProcess : IDisposable
{
    private readonly Process? _child;

    private BirdProcess(int pid, Process? child)
    {
        Pid = pid;
        _child = child;
    }

    public int Pid { get; }

    /// <summary>True when this agent started it (and so the kernel tells us at once when it exits).</summary>
    public bool IsChild => _child is not null;

    /// <summary>
    /// <c>bird -f -c CONFIG -s SOCKET -P PIDFILE [-R]</c>. Its stdout/stderr are the agent's (BIRD logs to its own
    /// file; only a start-up failure goes there). <paramref name="recover"/> starts in graceful-restart recovery: the
    /// kernel routes a previous BIRD left are kept until the peers have sent theirs again.
    /// </summary>
    public static BirdProcess Start(string birdBin, BirdPaths paths, bool recover)
    {
        var start = new ProcessStartInfo(birdBin) { UseShellExecute = false };
        foreach (string arg in new[] { "-f", "-c", paths.Config, "-s", paths.ControlSocket, "-P", paths.PidFile })
            start.ArgumentList.Add(arg);
        if (recover) start.ArgumentList.Add("-R");
        Process child = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {birdBin}");
        return new BirdProcess(child.Id, child);
    }

    /// <summary>
    /// The BIRD the pid file names, if it is alive, is a bird, and serves this state dir's control socket (a reused
    /// pid or someone else's BIRD is never adopted); null otherwise.
    /// </summary>
    public static BirdProcess? FindRunning(BirdPaths paths)
    {
        string text;
        try
        {
            text = File.ReadAllText(paths.PidFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || !IsAlive(pid)) return null;
        string[] argv;
        try
        {
            argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        bool isBird = argv.Length > 0 && Path.GetFileName(argv[0]) == "bird";
        int socket = Array.IndexOf(argv, "-s");
        return isBird && socket >= 0 && socket + 1 < argv.Length && argv[socket + 1] == paths.ControlSocket
            ? new BirdProcess(pid, null)
            : null;
    }

    public bool HasExited => _child?.HasExited ?? !IsAlive(Pid);

    /// <summary>Completes when BIRD exits: at once for a child, within half a second for an adopted one.</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        if (_child is not null)
        {
            await _child.WaitForExitAsync(cancellationToken);
            return;
        }
        while (IsAlive(Pid)) await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the exit; true when it exited.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (_child is not null) return _child.WaitForExit(timeout);
        var clock = Stopwatch.StartNew();
        while (IsAlive(Pid))
        {
            if (clock.Elapsed > timeout) return false;
            Thread.Sleep(20);
        }
        return true;
    }

    /// <summary>SIGKILL, the last resort when BIRD does not answer its control socket.</summary>
    public void Kill()
    {
        try
        {
            if (_child is not null) _child.Kill();
            else Process.GetProcessById(Pid).Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public void Dispose() => _child?.Dispose();

    /// <summary>A process that exists and is not a zombie (an exited child nobody reaped yet is not alive).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) S ...": the state follows the last ')', comm may itself hold parentheses.
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
