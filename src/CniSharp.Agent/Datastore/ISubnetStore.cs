using CniSharp.Ip;

namespace CniSharp.Agent.Datastore;

/// <summary>
/// The cluster's record of which node holds which pod subnets, and how to reach each node. The agent's only
/// view of the datastore (<c>--datastore etcd|kubernetes</c>); everything above it (reconciler, conflist,
/// health) is datastore-neutral. Implementations: <see cref="Etcd.EtcdSubnetStore"/> (etcd v3 leases) and the
/// Kubernetes one (Node <c>spec.podCIDRs</c> + annotations).
/// </summary>
/// <remarks>
/// Life cycle, as <see cref="AgentRunner"/> drives it: <see cref="AcquireAsync"/> once (and again whenever the
/// published attributes change or <see cref="KeepAliveAsync"/> reports the lease lost), <see cref="KeepAliveAsync"/>
/// and <see cref="WatchPeersAsync"/> concurrently until shutdown, then dispose. Shutting down (SIGTERM) must NOT
/// give the lease up: peers keep their routes to this node while it restarts. Only <see cref="LeaveAsync"/>
/// (the <c>leave</c> command) removes a node.
/// </remarks>
internal interface ISubnetStore : IAsyncDisposable
{
    /// <summary>
    /// Takes (or takes back) this node's pod subnets and publishes <paramref name="self"/>. Idempotent: called
    /// again with new attributes it only updates what peers read. etcd leases one subnet per cluster CIDR with
    /// a compare-and-swap, preferring first the subnets a key already names this node for, then
    /// <paramref name="preferred"/> (what the node had before, e.g. from its last conflist); Kubernetes reads
    /// the Node's <c>spec.podCIDRs</c> (and ignores <paramref name="preferred"/>).
    /// </summary>
    /// <returns>This node's lease: the subnets its pods get addresses from.</returns>
    /// <exception cref="SubnetStoreException">No subnet can be had (cluster CIDR full, no podCIDR yet, datastore unreachable).</exception>
    Task<NodeLease> AcquireAsync(NodeAttributes self, IReadOnlyList<IPPrefix> preferred, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the lease taken by <see cref="AcquireAsync"/> alive until <paramref name="cancellationToken"/> is
    /// cancelled (then completes normally, lease untouched). Throws <see cref="SubnetLeaseLostException"/> when
    /// the datastore says the lease is gone (expired while unreachable, revoked): the caller acquires again.
    /// Kubernetes has no lease: it completes when cancelled.
    /// </summary>
    Task KeepAliveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The complete set of OTHER nodes (never <paramref name="selfNode"/>), first as currently listed, then again
    /// after every change, until cancelled. A departed node (lease expired or revoked, Node deleted) is simply
    /// absent from the next set. Transient datastore errors are retried inside; the sequence ends only on
    /// cancellation.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<NodeLease>> WatchPeersAsync(string selfNode, CancellationToken cancellationToken);

    /// <summary>
    /// Orderly removal of <paramref name="node"/> (the <c>leave</c> command, possibly run elsewhere): etcd revokes
    /// the node's lease so all its keys go at once; Kubernetes removes the node's published annotations.
    /// Returns false when the datastore had nothing for that node.
    /// </summary>
    Task<bool> LeaveAsync(string node, CancellationToken cancellationToken);
}
