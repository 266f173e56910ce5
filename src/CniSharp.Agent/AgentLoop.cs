using System.Threading.Channels;
using CniSharp.Agent.Cli;
using CniSharp.Agent.Conflist;
using CniSharp.Agent.Datastore;
using CniSharp.Agent.Health;
using CniSharp.Agent.Masquerade;
using CniSharp.Agent.Reconcile;
using CniSharp.Ip;
using Serilog;

namespace CniSharp.Agent;

/// <summary>
/// The running agent: keeps the lease, follows the peer set, reconciles the dataplane on every change and at
/// least every <see cref="HealInterval"/>, writes the conflist once synced and keeps the readiness file fresh.
/// One reconcile at a time (a single loop owns the dataplane); peers and lease are handed to it.
/// </summary>
internal sealed class AgentLoop(
    AgentOptions options,
    ISubnetStore store,
    Reconciler reconciler,
    NodeAttributes self,
    IMasquerade masquerade,
    AgentStatusHolder status,
    AgentMetrics metrics,
    ILogger log,
    IRoutingDaemon? routing = null)
{
    /// <summary>Self-heal period: a deleted route, neighbour, FDB entry or device is back within this.</summary>
    public static readonly TimeSpan HealInterval = TimeSpan.FromSeconds(2);

    private readonly ConflistWriter _conflist = new(options.CniConfDir);
    private readonly ReadinessFile _readiness = new(options.StateDir);
    private readonly Channel<string> _wake = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile NodeLease? _lease;
    private volatile IReadOnlyList<NodeLease>? _peers;

    public async Task RunAsync(NodeLease lease, CancellationToken cancellationToken)
    {
        _lease = lease;
        status.Update(s => s with { Subnets = lease.Subnets, LeaseHeld = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] tasks =
        [
            Task.Run(() => WatchAsync(stop.Token), stop.Token),
            Task.Run(() => KeepLeaseAsync(stop.Token), stop.Token),
            Task.Run(() => ReconcileLoopAsync(stop.Token), stop.Token),
            Task.Run(() => RefreshReadinessAsync(stop.Token), stop.Token),
            .. routing is null ? [] : new[] { Task.Run(() => FollowRoutingDaemonAsync(routing, stop.Token), stop.Token) },
        ];
        Task first = await Task.WhenAny(tasks);
        await stop.CancelAsync();
        // Everything else is cancellation-aware; SIGTERM must end the process within 5 s whatever hangs.
        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None));
        if (cancellationToken.IsCancellationRequested) return;
        // Each part runs until shutdown: one that ended on its own is a failure, and the process exits 1 so
        // that its supervisor (DaemonSet, systemd) restarts it.
        await first;
        throw new InvalidOperationException("a part of the agent loop (watch, lease, reconcile, readiness) ended on its own");
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (IReadOnlyList<NodeLease> peers in store.WatchPeersAsync(options.NodeName, cancellationToken))
            {
                _peers = peers;
                _wake.Writer.TryWrite("watch");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>A routing daemon that stopped by itself gets the next pass at once (which starts it again).</summary>
    private async Task FollowRoutingDaemonAsync(IRoutingDaemon daemon, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await daemon.WaitForExitAsync(cancellationToken);
                _wake.Writer.TryWrite("routing-daemon");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task KeepLeaseAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await store.KeepAliveAsync(cancellationToken);
                return;
            }
            catch (SubnetLeaseLostException e)
            {
                metrics.Error("datastore");
                status.Update(s => s with { LeaseHeld = false });
                log.Error("Lease lost ({Reason}): acquiring the same subnets again", e.Message);
                NodeLease lease = await AgentRunner.AcquireUntilDoneAsync(store, self, _lease!.Subnets, log, metrics, cancellationToken);
                if (!lease.Subnets.SequenceEqual(_lease.Subnets))
                    log.Error("Subnets changed from {Old} to {New}: pods with addresses from the old ones lose connectivity",
                        string.Join(", ", _lease.Subnets), string.Join(", ", lease.Subnets));
                _lease = lease;
                status.Update(s => s with { Subnets = lease.Subnets, LeaseHeld = true });
                _wake.Writer.TryWrite("lease");
            }
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string trigger = "heal";
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                tick.CancelAfter(HealInterval);
                try
                {
                    trigger = await _wake.Reader.ReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The self-heal tick.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            // Nothing is known about peers before the first watch result: reconciling an empty set would delete
            // every route a previous run programmed (a restart must not flap).
            if (_peers is not { } peers || _lease is not { } lease) continue;
            ReconcileOnce(lease, peers, trigger);
        }
    }

    private void ReconcileOnce(NodeLease lease, IReadOnlyList<NodeLease> peers, string trigger)
    {
        ReconcileReport report;
        try
        {
            // With a routing daemon (BGP) the agent's own dataplane routes only what the daemon leaves it.
            report = reconciler.Reconcile(lease, routing?.ForDataplane(peers) ?? peers) with { Peers = peers.Count };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            metrics.Error("dataplane");
            log.Error(e, "Reconcile pass failed");
            return;
        }
        routing?.Sync(lease, peers);
        metrics.Synced(report, trigger);
        if (report.Changes > 0 || report.Errors > 0)
        {
            log.Information("Reconciled ({Trigger}): {Peers} peers, {Routes} routes, {Changes} changes, {Errors} errors in {Ms:0.0} ms",
                trigger, report.Peers, report.Routes, report.Changes, report.Errors, report.Duration.TotalMilliseconds);
        }
        foreach (UnreachablePeer u in report.Unreachable.Where(u => status.Current.LastSync?.Unreachable.Contains(u) != true))
            log.Warning("Peer {Peer} ({Address}) subnet {Subnet} is unreachable: {Reason}", u.Node, u.Address, u.Subnet, u.Reason);

        List<IPPrefix> exempt = [.. options.ClusterCidrs, .. lease.Subnets, .. peers.SelectMany(p => p.Subnets)];
        try
        {
            masquerade.Sync(lease.Subnets, exempt);
        }
        catch (Exception e) when (e is Netlink.NetlinkException or Interop.UnixException)
        {
            // Pods still reach each other; only traffic leaving the cluster is affected. Retried every pass.
            metrics.Error("masquerade");
            log.Error("Cannot program masquerade: {Reason}", e.Message);
        }

        bool firstSync = !status.Current.Synced;
        var settings = new ConflistSettings(options.Plugin, lease.Subnets, reconciler.PodMtu, options.DataDir, _readiness.Path);
        try
        {
            if (_conflist.Write(settings)) log.Information("Wrote {Conflist} (subnets {Subnets}, MTU {Mtu})", _conflist.Path, string.Join(", ", lease.Subnets), settings.Mtu);
            if (firstSync) _readiness.Refresh(options.NodeName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Interop.UnixException)
        {
            metrics.Error("conflist");
            log.Error("Cannot write {Conflist}: {Reason}", _conflist.Path, e.Message);
            return;
        }
        status.Update(s => s with { Synced = true, LastSync = report, LastSyncAt = DateTimeOffset.UtcNow });
        if (firstSync)
        {
            metrics.Ready(true);
            log.Information("Synced: {Peers} peers, {Routes} routes; node ready for pods", report.Peers, report.Routes);
        }
    }

    private async Task RefreshReadinessAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ReadinessFile.RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Fresh only while synced and holding the lease: without it the subnet may be someone else's.
                AgentStatus s = status.Current;
                if (!s.Synced || !s.LeaseHeld) continue;
                try
                {
                    _readiness.Refresh(options.NodeName);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or Interop.UnixException)
                {
                    metrics.Error("readiness");
                    log.Warning("Cannot refresh {File}: {Reason}", _readiness.Path, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the file stays, a restarted agent refreshes it well within the plugin's 30 s.
        }
    }
}
