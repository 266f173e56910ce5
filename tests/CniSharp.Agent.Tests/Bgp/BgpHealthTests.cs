using System.Net;
using System.Text.Json;
using CniSharp.Agent.Bgp;
using CniSharp.Agent.Health;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Bgp;

public class BgpHealthTests
{
    private static readonly BgpSessionStatus Up =
        new("mesh_198_51_100_12", BgpPeerType.Mesh, IPAddress.Parse("198.51.100.12"), "up", "2026-12-01T01:35:02", "Established");

    private static readonly BgpSessionStatus Down =
        new("peer_198_51_100_254", BgpPeerType.External, IPAddress.Parse("198.51.100.254"), "start", "2026-12-01T01:36:21", "Active Socket: Connection refused");

    private static AgentStatus Status(bool birdRunning) => new()
    {
        Node = "n1", Backend = "bgp", Synced = true, LeaseHeld = true, Subnets = [IPPrefix.Parse("10.244.2.0/24")],
        Bgp = new BgpStatus { As = 64512, Mode = BgpMode.Mesh, RouterId = IPAddress.Parse("198.51.100.11"), BirdRunning = birdRunning,
            BirdPid = birdRunning ? 4242 : null, Sessions = birdRunning ? [Up, Down] : [] },
    };

    [Fact]
    public void Healthz_lists_bird_and_each_session()
    {
        using JsonDocument doc = JsonDocument.Parse(HealthJson.Render(Status(birdRunning: true)));
        JsonElement bgp = doc.RootElement.GetProperty("bgp");
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(("running", 4242, 64512, "198.51.100.11"), (bgp.GetProperty("bird").GetString(), bgp.GetProperty("birdPid").GetInt32(),
            bgp.GetProperty("as").GetInt32(), bgp.GetProperty("routerId").GetString()));
        JsonElement[] sessions = bgp.GetProperty("sessions").EnumerateArray().ToArray();
        Assert.Equal(("198.51.100.12", "mesh", "Established"), (sessions[0].GetProperty("peer").GetString(),
            sessions[0].GetProperty("type").GetString(), sessions[0].GetProperty("bgpState").GetString()));
        Assert.Equal(("external", "Active"), (sessions[1].GetProperty("type").GetString(), sessions[1].GetProperty("bgpState").GetString()));
    }

    [Fact]
    public void Bird_down_is_unhealthy()
    {
        AgentStatus status = Status(birdRunning: false);
        Assert.False(status.Healthy);
        using JsonDocument doc = JsonDocument.Parse(HealthJson.Render(status));
        Assert.Equal("degraded", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("stopped", doc.RootElement.GetProperty("bgp").GetProperty("bird").GetString());
    }

    [Fact]
    public void Metrics_have_one_gauge_per_session_state()
    {
        var agent = new AgentMetrics();
        var metrics = new BgpMetrics(agent.Registry);
        metrics.BirdUp(true);
        metrics.Sessions([Up, Down]);
        string text = Export(agent);
        Assert.Contains("cnisharp_agent_bird_up 1", text);
        Assert.Contains("cnisharp_agent_bgp_session{peer=\"198.51.100.12\",type=\"mesh\",state=\"Established\"} 1", text);
        Assert.Contains("cnisharp_agent_bgp_session{peer=\"198.51.100.254\",type=\"external\",state=\"Active\"} 1", text);
        Assert.Contains("cnisharp_agent_bgp_sessions_established 1", text);
        metrics.Sessions([Up with { State = "start", Info = "Connect" }]);
        text = Export(agent);
        Assert.DoesNotContain("state=\"Established\"", text);
        Assert.DoesNotContain("198.51.100.254", text);
        Assert.Contains("cnisharp_agent_bgp_sessions_established 0", text);
    }

    private static string Export(AgentMetrics metrics)
    {
        using var buffer = new MemoryStream();
        metrics.Registry.CollectAndExportAsTextAsync(buffer).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
