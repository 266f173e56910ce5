using CniSharp.Agent.Cli;
using CniSharp.Agent.Datastore;
using Serilog;

namespace CniSharp.Agent;

/// <summary>The agent's main loop: lease, watch peers, until SIGTERM/SIGINT (which keep lease and dataplane).</summary>
internal static class AgentRunner
{
    public static async Task<int> RunAsync(AgentOptions options)
    {
        ILogger log = AgentLogging.Create(options.LogJson, options.Verbose, options.NodeName);
        using var stop = new CancellationTokenSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        try
        {
            await using ISubnetStore store = SubnetStoreFactory.Create(options.Datastore, options, log);
            var self = new NodeAttributes(options.NodeName, options.PublicIP, null, options.Backend, null);
            NodeLease lease = await store.AcquireAsync(self, [], stop.Token);
            log.Information("Node subnets {Subnets}", string.Join(", ", lease.Subnets));
            Task keepAlive = store.KeepAliveAsync(stop.Token);
            await foreach (IReadOnlyList<NodeLease> peers in store.WatchPeersAsync(options.NodeName, stop.Token))
            {
                log.Information("Peers: {Peers}", string.Join("; ", peers.Select(p => $"{p.Node} {string.Join(",", p.Subnets)}")));
            }
            await keepAlive;
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
}
