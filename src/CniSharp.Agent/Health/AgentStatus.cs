using CniSharp.Agent.Reconcile;
using CniSharp.Ip;

namespace CniSharp.Agent.Health;

/// <summary>What /healthz reports; replaced whole (immutable snapshot) so readers never see a torn state.</summary>
internal sealed record AgentStatus
{
    public required string Node { get; init; }
    public required string Backend { get; init; }
    public IReadOnlyList<IPPrefix> Subnets { get; init; } = [];
    /// <summary>True once the first reconcile pass is done and the conflist is written.</summary>
    public bool Synced { get; init; }
    /// <summary>True while the datastore lease is held (false between losing it and getting it back).</summary>
    public bool LeaseHeld { get; init; }
    public ReconcileReport? LastSync { get; init; }
    public DateTimeOffset? LastSyncAt { get; init; }
    /// <summary>The BGP backend's BIRD and sessions; null for the other backends.</summary>
    public Bgp.BgpStatus? Bgp { get; init; }

    /// <summary>What /healthz answers 200 for: synced, and (BGP) BIRD running.</summary>
    public bool Healthy => Synced && Bgp?.BirdRunning != false;
}

/// <summary>The agent's current <see cref="AgentStatus"/>, shared by the main loop (writer) and /healthz (reader).</summary>
internal sealed class AgentStatusHolder(AgentStatus initial)
{
    private AgentStatus _status = initial;

    public AgentStatus Current => Volatile.Read(ref _status);

    public void Update(Func<AgentStatus, AgentStatus> change)
    {
        AgentStatus before, after;
        do
        {
            before = Current;
            after = change(before);
        }
        while (Interlocked.CompareExchange(ref _status, after, before) != before);
    }
}
