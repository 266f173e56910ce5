using CniSharp.Agent.Reconcile;
using Prometheus;

namespace CniSharp.Agent.Health;

/// <summary>
/// The agent's Prometheus metrics (prometheus-net, own registry: only these series, no runtime collectors):
/// peers, routes/neighbours/FDB entries programmed, sync duration and count, dataplane changes, errors, and
/// one gauge per unreachable peer.
/// </summary>
internal sealed class AgentMetrics
{
    private readonly Gauge _peers;
    private readonly Gauge _routes;
    private readonly Gauge _neighbours;
    private readonly Gauge _fdb;
    private readonly Gauge _ready;
    private readonly Gauge _unreachable;
    private readonly Histogram _syncSeconds;
    private readonly Counter _syncs;
    private readonly Counter _changes;
    private readonly Counter _errors;

    public AgentMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        MetricFactory f = Metrics.WithCustomRegistry(Registry);
        _peers = f.CreateGauge("cnisharp_agent_peers", "Other nodes known from the datastore.");
        _routes = f.CreateGauge("cnisharp_agent_routes", "Routes to peer pod subnets the agent wants programmed.");
        _neighbours = f.CreateGauge("cnisharp_agent_vxlan_neighbours", "Permanent neighbours on the VXLAN device.");
        _fdb = f.CreateGauge("cnisharp_agent_vxlan_fdb_entries", "FDB entries on the VXLAN device.");
        _ready = f.CreateGauge("cnisharp_agent_ready", "1 once synced and the conflist is written.");
        _unreachable = f.CreateGauge("cnisharp_agent_unreachable_peer",
            "1 for each peer subnet the backend cannot reach (host-gw to a node that is not on-link).", "node", "ip", "subnet");
        _syncSeconds = f.CreateHistogram("cnisharp_agent_sync_duration_seconds", "Duration of one reconcile pass.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 4, 8) });
        _syncs = f.CreateCounter("cnisharp_agent_syncs_total", "Reconcile passes, by what started them.", "trigger");
        _changes = f.CreateCounter("cnisharp_agent_dataplane_changes_total", "Routes, neighbours, FDB entries and devices changed.");
        _errors = f.CreateCounter("cnisharp_agent_errors_total", "Errors, by where they happened.", "where");
    }

    public CollectorRegistry Registry { get; }

    public void Ready(bool ready) => _ready.Set(ready ? 1 : 0);

    public void Error(string where) => _errors.WithLabels(where).Inc();

    public void Synced(ReconcileReport report, string trigger)
    {
        _peers.Set(report.Peers);
        _routes.Set(report.Routes);
        _neighbours.Set(report.Neighbours);
        _fdb.Set(report.FdbEntries);
        _syncSeconds.Observe(report.Duration.TotalSeconds);
        _syncs.WithLabels(trigger).Inc();
        _changes.Inc(report.Changes);
        if (report.Errors > 0) _errors.WithLabels("dataplane").Inc(report.Errors);

        var now = report.Unreachable.Select(p => (p.Node, p.Address?.ToString() ?? "", p.Subnet.ToString())).ToHashSet();
        foreach (string[] labels in _unreachable.GetAllLabelValues().ToList())
        {
            if (!now.Contains((labels[0], labels[1], labels[2]))) _unreachable.RemoveLabelled(labels);
        }
        foreach ((string node, string ip, string subnet) in now) _unreachable.WithLabels(node, ip, subnet).Set(1);
    }
}
