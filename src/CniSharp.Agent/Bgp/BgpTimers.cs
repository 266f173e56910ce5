namespace CniSharp.Agent.Bgp;

/// <summary>
/// BIRD's session timers as the agent renders them. <see cref="Tuned"/> is the default; <see cref="BirdDefaults"/>
/// is what BIRD 2 does when a configuration says nothing (kept for the benchmark and the README).
/// </summary>
/// <param name="ConnectDelay">From a session's start (agent start, a new peer) to its first connect attempt.</param>
/// <param name="ConnectRetry">Between failed connect attempts (a peer not listening yet, or down).</param>
/// <param name="Hold">A peer silent this long is down; zero disables keepalives altogether (BGP's rule).</param>
/// <param name="Keepalive">Between keepalives; a third of <paramref name="Hold"/> unless given.</param>
/// <param name="GracefulRestart">How long peers keep this node's routes while its BIRD restarts; zero: no graceful restart.</param>
/// <param name="BfdInterval">BFD's transmit and receive interval; null: no BFD.</param>
/// <param name="BfdMultiplier">BFD packets missed before the session is down.</param>
internal sealed record BgpTimers(
    TimeSpan ConnectDelay,
    TimeSpan ConnectRetry,
    TimeSpan Hold,
    TimeSpan Keepalive,
    TimeSpan GracefulRestart,
    TimeSpan? BfdInterval,
    int BfdMultiplier)
{
    /// <summary>
    /// Connect at once and retry every 2 s (a peer that learns of this node a moment later is found on the next
    /// try), a dead peer found within 9 s (or 3 BFD intervals with --bgp-bfd), a BIRD restart covered for 30 s.
    /// </summary>
    public static readonly BgpTimers Tuned = new(
        ConnectDelay: TimeSpan.Zero,
        ConnectRetry: TimeSpan.FromSeconds(2),
        Hold: TimeSpan.FromSeconds(9),
        Keepalive: TimeSpan.FromSeconds(3),
        GracefulRestart: TimeSpan.FromSeconds(30),
        BfdInterval: null,
        BfdMultiplier: 3);

    /// <summary>BIRD 2.0's own defaults: connect delay 5 s, retry 120 s, hold 240 s, keepalive 80 s, restart time 120 s.</summary>
    public static readonly BgpTimers BirdDefaults = new(
        ConnectDelay: TimeSpan.FromSeconds(5),
        ConnectRetry: TimeSpan.FromSeconds(120),
        Hold: TimeSpan.FromSeconds(240),
        Keepalive: TimeSpan.FromSeconds(80),
        GracefulRestart: TimeSpan.FromSeconds(120),
        BfdInterval: null,
        BfdMultiplier: 5);
}
