using CniSharp.Agent.Datastore;

namespace CniSharp.Agent.Reconcile;

/// <summary>
/// A routing daemon the agent drives next to its own dataplane (the BGP backend's BIRD). The agent's reconciler
/// programs the routes to what <see cref="ForDataplane"/> leaves it; the daemon carries the rest. Disposing stops
/// the daemon (or leaves it running for the next agent, when asked).
/// </summary>
internal interface IRoutingDaemon : IAsyncDisposable
{
    /// <summary>The peers, each with the subnets, whose routes the agent's own dataplane programs.</summary>
    IReadOnlyList<NodeLease> ForDataplane(IReadOnlyList<NodeLease> peers);

    /// <summary>
    /// Brings the daemon in line with this node's lease and the peer set: renders, checks and loads its
    /// configuration, starts it when it is not running. Called after every reconcile pass; never throws.
    /// </summary>
    void Sync(NodeLease self, IReadOnlyList<NodeLease> peers);

    /// <summary>Completes when the daemon stopped by itself (the agent syncs at once, which starts it again).</summary>
    Task WaitForExitAsync(CancellationToken cancellationToken);
}
