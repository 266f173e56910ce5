namespace CniSharp.Agent.Reconcile;

/// <summary>What one reconcile pass found and did.</summary>
internal sealed record ReconcileReport(
    int Peers,
    int Routes,
    int Neighbours,
    int FdbEntries,
    int Changes,
    int Errors,
    IReadOnlyList<UnreachablePeer> Unreachable,
    TimeSpan Duration);
