using System.Net;
using System.Text.Json;
using CniSharp.Agent.Health;
using CniSharp.Agent.Reconcile;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Health;

public class HealthJsonTests
{
    [Fact]
    public void Unreachable_peers_are_listed_with_node_and_ip()
    {
        var report = new ReconcileReport(2, 1, 0, 0, 1, 0,
            [new UnreachablePeer("far", IPAddress.Parse("192.168.20.4"), IPPrefix.Parse("10.244.4.0/24"), "not on-link")],
            TimeSpan.FromMilliseconds(1.5));
        var status = new AgentStatus { Node = "n1", Backend = "host-gw", Synced = true, LeaseHeld = true, LastSync = report,
            Subnets = [IPPrefix.Parse("10.244.2.0/24")] };
        using JsonDocument doc = JsonDocument.Parse(HealthJson.Render(status));
        JsonElement root = doc.RootElement;
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(2, root.GetProperty("peers").GetInt32());
        JsonElement peer = Assert.Single(root.GetProperty("unreachablePeers").EnumerateArray());
        Assert.Equal(("far", "192.168.20.4", "10.244.4.0/24"),
            (peer.GetProperty("node").GetString(), peer.GetProperty("ip").GetString(), peer.GetProperty("subnet").GetString()));
    }

    [Fact]
    public void Metrics_have_a_gauge_per_unreachable_peer_and_drop_it_when_resolved()
    {
        var metrics = new AgentMetrics();
        var far = new UnreachablePeer("far", IPAddress.Parse("192.168.20.4"), IPPrefix.Parse("10.244.4.0/24"), "x");
        metrics.Synced(new ReconcileReport(1, 0, 0, 0, 0, 0, [far], TimeSpan.Zero), "watch");
        Assert.Contains("cnisharp_agent_unreachable_peer{node=\"far\",ip=\"192.168.20.4\",subnet=\"10.244.4.0/24\"} 1", Export(metrics));
        metrics.Synced(new ReconcileReport(1, 1, 0, 0, 1, 0, [], TimeSpan.Zero), "watch");
        Assert.DoesNotContain("node=\"far\"", Export(metrics));
        Assert.Contains("cnisharp_agent_routes 1", Export(metrics));
    }

    private static string Export(AgentMetrics metrics)
    {
        using var buffer = new MemoryStream();
        metrics.Registry.CollectAndExportAsTextAsync(buffer).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
