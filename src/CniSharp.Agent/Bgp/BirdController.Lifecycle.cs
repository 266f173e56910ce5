using System.Diagnostics;

namespace CniSharp.Agent.Bgp;

internal sealed partial class BirdController
{
    /// <summary>How long a fresh BIRD gets to open its control socket before the agent talks to it anyway.</summary>
    private static readonly TimeSpan SocketWait = TimeSpan.FromSeconds(2);

    /// <summary>Starts BIRD (or adopts the one a previous agent left) unless one runs; backs off while it keeps dying.</summary>
    private void EnsureRunning()
    {
        if (_process is { HasExited: false }) return;
        if (_process is not null)
        {
            _process.Dispose();
            _process = null;
            _loaded = null;
        }
        if (!_adoptionTried)
        {
            _adoptionTried = true;
            if (BirdProcess.FindRunning(Paths) is { } adopted)
            {
                _process = adopted;
                _loaded = null; // its configuration is the previous agent's: reload ours
                _bgpMetrics.Started("adopt");
                _log.Information("Adopted the running BIRD (pid {Pid}) a previous agent left", adopted.Pid);
                Monitor(adopted);
                return;
            }
        }
        if (DateTime.UtcNow.Ticks < Volatile.Read(ref _nextStartTicks)) return;
        // Routes a previous BIRD left (killed, or stopped for a graceful restart): recover them instead of
        // flushing them, so the node's pods keep reaching the others while the sessions come back.
        bool recover = _bgp.Timers.GracefulRestart > TimeSpan.Zero && UnderlayRoutes.HaveBirdRoutes(_netlink);
        BirdProcess started = BirdProcess.Start(_birdBin, Paths, recover);
        _process = started;
        _loaded = _written;
        _startedAt = DateTime.UtcNow;
        _bgpMetrics.Started(_starts++ == 0 ? "start" : "restart");
        _log.Information("Started BIRD (pid {Pid}{Recovery}), control socket {Socket}", started.Pid,
            recover ? ", graceful-restart recovery" : "", Paths.ControlSocket);
        Monitor(started);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Paths.ControlSocket) && !started.HasExited && clock.Elapsed < SocketWait) Thread.Sleep(5);
    }

    /// <summary>When BIRD exits on its own, wake the agent's loop (whose next pass starts it again).</summary>
    private void Monitor(BirdProcess process)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await process.WaitForExitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (_stopping) return;
            TimeSpan ran = DateTime.UtcNow - _startedAt;
            _quickDeaths = process.IsChild && ran < StableRun ? _quickDeaths + 1 : 0;
            TimeSpan delay = _quickDeaths == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(_quickDeaths - 1, 5)));
            Volatile.Write(ref _nextStartTicks, (DateTime.UtcNow + delay).Ticks);
            _metrics.Error("bird");
            _log.Warning("BIRD (pid {Pid}) exited; starting it again{Delay}", process.Pid,
                delay > TimeSpan.Zero ? $" in {delay.TotalSeconds:0} s (it keeps dying; see {Paths.Log})" : "");
            _exits.Writer.TryWrite(process.Pid);
        });
    }

    private void RefreshStatus()
    {
        BirdProcess? process = _process;
        bool running = process is { HasExited: false };
        IReadOnlyList<BgpSessionStatus> sessions = [];
        if (running)
        {
            try
            {
                if (_birdc.ShowProtocols() is { } protocols) sessions = BgpSessionStatus.From(protocols);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                _log.Warning("Cannot read BIRD's sessions: {Reason}", e.Message);
            }
        }
        _status.Update(s => s with
        {
            Bgp = new BgpStatus
            {
                As = _bgp.As,
                Mode = _bgp.Mode,
                RouterId = _underlay.IPv4,
                BirdRunning = running,
                BirdPid = running ? process!.Pid : null,
                Sessions = sessions,
                LastError = _lastError,
            },
        });
        _bgpMetrics.BirdUp(running);
        _bgpMetrics.Sessions(sessions);
    }

    /// <summary>
    /// Stops BIRD: in graceful-restart mode when it is on (peers keep this node's routes as stale for the restart
    /// time, the kernel keeps BIRD's routes, the next BIRD recovers both), else with a goodbye to every peer.
    /// With --bird-keep-on-exit BIRD keeps running instead, for the next agent to adopt.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        _stopping = true;
        _stop.Cancel();
        BirdProcess? process = _process;
        if (process is { HasExited: false })
        {
            if (_bgp.KeepBirdOnExit)
            {
                _log.Information("Leaving BIRD (pid {Pid}) running for the next agent (--bird-keep-on-exit)", process.Pid);
            }
            else
            {
                bool graceful = _bgp.Timers.GracefulRestart > TimeSpan.Zero;
                bool asked = graceful ? _birdc.GracefulRestart() : _birdc.Down();
                if (!asked || !process.WaitForExit(TimeSpan.FromSeconds(2)))
                {
                    process.Kill();
                    process.WaitForExit(TimeSpan.FromSeconds(1));
                }
                _log.Information(graceful
                    ? "Stopped BIRD (pid {Pid}) for a graceful restart: peers keep this node's routes for {Seconds} s"
                    : "Stopped BIRD (pid {Pid}): peers withdrew this node's routes", process.Pid, _bgp.Timers.GracefulRestart.TotalSeconds);
            }
        }
        process?.Dispose();
        _netlink.Dispose();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
