using System.Runtime.InteropServices;
using CniSharp.Agent.Bgp;
using CniSharp.Agent.Cli;
using CniSharp.Agent.Conflist;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Agent.Health;
using CniSharp.Agent.Masquerade;
using CniSharp.Agent.Reconcile;
using CniSharp.Ip;
using CniSharp.Namespaces;
using Serilog;

namespace CniSharp.Agent;

/// <summary>
/// Start-up: logging, signals, directories, underlay and VXLAN device, lease, health endpoint; then
/// <see cref="AgentLoop"/> until SIGTERM/SIGINT. Stopping gives nothing up (lease, conflist, dataplane stay):
/// a restart within the lease TTL is invisible to peers and to pods.
/// </summary>
internal static class AgentRunner
{
    public static async Task<int> RunAsync(AgentOptions options)
    {
        ILogger log = AgentLogging.Create(options.LogJson, options.Verbose, options.NodeName);
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            log.Information("{Signal}: stopping; lease, conflist and dataplane stay in place", context.Signal);
            try
            {
                stop.Cancel();
            }
            catch (AggregateException e)
            {
                // A cancellation callback failed; on the signal thread that would abort the process.
                log.Warning("While stopping: {Reason}", e.InnerException?.Message ?? e.Message);
            }
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        try
        {
            foreach (string dir in new[] { options.StateDir, options.CniConfDir, options.DataDir })
                Directory.CreateDirectory(dir);

            using IDataplane dataplane = NetlinkDataplane.Open();
            // BGP: BIRD carries the routes; the agent's own dataplane covers what BIRD leaves it (Bgp/BirdController).
            var reconciler = new Reconciler(dataplane, options.Bgp?.DataplaneBackend ?? options.Backend, options.NodeName, log);
            Underlay underlay = reconciler.Prepare(options.Interface, options.PublicIP);
            var self = new NodeAttributes(options.NodeName, options.PublicIP ?? underlay.IPv4, underlay.IPv6,
                options.Backend, reconciler.Vxlan?.Mac);

            var metrics = new AgentMetrics();
            var status = new AgentStatusHolder(new AgentStatus { Node = options.NodeName, Backend = options.Backend.Name() });
            using HealthServer? health = options.HealthAddress is { } address ? new HealthServer(address, status, metrics, log) : null;
            health?.Start(stop.Token);
            await using BirdController? bird = options.Bgp is { } bgp ? BirdController.Create(bgp, options, underlay, status, metrics, log) : null;
            if (bird is null) BirdLeftovers.Retire(new BirdPaths(options.StateDir), options.ClusterCidrs, log);

            await using ISubnetStore store = SubnetStoreFactory.Create(options.Datastore, options, log);
            IReadOnlyList<IPPrefix> previous = new ConflistWriter(options.CniConfDir).ReadSubnets();
            NodeLease lease = await AcquireUntilDoneAsync(store, self, previous, log, metrics, stop.Token);
            // The node routes its pods' traffic to the other nodes (the bridge plugin enables this for its
            // gateway, a routed plugin need not): forwarding on for every family the node has pods in.
            Sysctl.Ensure("net/ipv4/ip_forward", "1");
            if (lease.Subnets.Any(s => !s.IsIPv4)) Sysctl.Ensure("net/ipv6/conf/all/forwarding", "1");
            var loop = new AgentLoop(options, store, reconciler, self, new NftablesMasquerade(log), status, metrics, log, bird);
            await loop.RunAsync(lease, stop.Token);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            log.Fatal(e, "cnisharp-agent failed");
            return 1;
        }
        finally
        {
            (log as IDisposable)?.Dispose();
        }
    }

    /// <summary>Acquire, retrying (1 s, doubling to 10 s) while the datastore is unreachable or has nothing to give.</summary>
    public static async Task<NodeLease> AcquireUntilDoneAsync(ISubnetStore store, NodeAttributes self,
        IReadOnlyList<IPPrefix> preferred, ILogger log, AgentMetrics metrics, CancellationToken cancellationToken)
    {
        TimeSpan delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await store.AcquireAsync(self, preferred, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                metrics.Error("datastore");
                log.Warning("Cannot acquire a subnet yet ({Reason}); retrying in {Delay}s", e.Message, delay.TotalSeconds);
            }
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }
}
