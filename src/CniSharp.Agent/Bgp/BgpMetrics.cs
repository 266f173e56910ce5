using Prometheus;

namespace CniSharp.Agent.Bgp;

/// <summary>BGP series on the agent's /metrics registry: BIRD up, starts and reloads, and one gauge per session state.</summary>
internal sealed class BgpMetrics
{
    private readonly Gauge _birdUp;
    private readonly Counter _starts;
    private readonly Counter _reloads;
    private readonly Gauge _session;
    private readonly Gauge _established;

    public BgpMetrics(CollectorRegistry registry)
    {
        MetricFactory f = Metrics.WithCustomRegistry(registry);
        _birdUp = f.CreateGauge("cnisharp_agent_bird_up", "1 while this node's BIRD runs.");
        _starts = f.CreateCounter("cnisharp_agent_bird_starts_total",
            "BIRD processes started or adopted, by how: start (first), restart (after it died), adopt (left by a previous agent).", "how");
        _reloads = f.CreateCounter("cnisharp_agent_bird_reloads_total", "Configurations loaded into a running BIRD (birdc configure), by result.", "result");
        _session = f.CreateGauge("cnisharp_agent_bgp_session",
            "1 for each BGP session in its current state (BGP FSM state as BIRD reports it: Established, Active, Connect, ...).",
            "peer", "type", "state");
        _established = f.CreateGauge("cnisharp_agent_bgp_sessions_established", "BGP sessions in state Established.");
    }

    public void BirdUp(bool up) => _birdUp.Set(up ? 1 : 0);

    public void Started(string how) => _starts.WithLabels(how).Inc();

    public void Reloaded(bool ok) => _reloads.WithLabels(ok ? "ok" : "failed").Inc();

    public void Sessions(IReadOnlyList<BgpSessionStatus> sessions)
    {
        var now = sessions.Select(s => (s.Peer.ToString(), s.Type.Label(), s.BgpState)).ToHashSet();
        foreach (string[] labels in _session.GetAllLabelValues().ToList())
        {
            if (!now.Contains((labels[0], labels[1], labels[2]))) _session.RemoveLabelled(labels);
        }
        foreach ((string peer, string type, string state) in now) _session.WithLabels(peer, type, state).Set(1);
        _established.Set(sessions.Count(s => s.Established));
    }
}
