using CniSharp.Agent.Bgp;
using CniSharp.Agent.Cli;
using CniSharp.Agent.Datastore;
using Serilog;

namespace CniSharp.Agent;

/// <summary><c>cnisharp-agent leave</c>: removes a node from the datastore; every peer then drops its routes.</summary>
internal static class LeaveCommand
{
    public static async Task<int> RunAsync(AgentCommand.Leave leave)
    {
        ILogger log = AgentLogging.Create(json: false, verbose: false, leave.NodeName);
        try
        {
            await using ISubnetStore store = SubnetStoreFactory.Create(leave.Datastore, agent: null, log);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            bool had = await store.LeaveAsync(leave.NodeName, timeout.Token);
            log.Information(had ? "Node {Node} left: its subnets are released" : "Node {Node} held nothing in the datastore", leave.NodeName);
            // A BIRD kept running for an upgrade would go on announcing the node to external peers.
            if (leave.StateDir is not null) BirdLeftovers.StopKept(new BirdPaths(leave.StateDir), log);
            return 0;
        }
        catch (Exception e)
        {
            log.Error("leave failed: {Reason}", e.Message);
            return 1;
        }
        finally
        {
            (log as IDisposable)?.Dispose();
        }
    }
}
