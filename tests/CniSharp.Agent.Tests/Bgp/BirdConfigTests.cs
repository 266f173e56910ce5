using System.Net;
using CniSharp.Agent.Bgp;
using CniSharp.Agent.Tests.Infrastructure;
using static CniSharp.Agent.Tests.Bgp.BgpFixtures;

namespace CniSharp.Agent.Tests.Bgp;

public class BirdConfigTests
{
    private static readonly BgpOptions Mesh = new();

    [Fact]
    public void Mesh_peers_every_node_per_family_from_the_underlay_address()
    {
        string text = Render(Mesh, DualSelf, Near, Far);
        Assert.Contains("router id 192.168.10.2;", text);
        Assert.Contains("protocol bgp mesh_192_168_10_3 from cluster4 { neighbor 192.168.10.3 as 64512; }", text);
        Assert.Contains("protocol bgp mesh_192_168_20_4 from cluster4 { neighbor 192.168.20.4 as 64512; }", text);
        Assert.Contains("protocol bgp mesh_fd00_10__3 from cluster6 { neighbor fd00:10::3 as 64512; }", text);
        Assert.Contains("local 192.168.10.2 as 64512;", text);
        Assert.Contains("local fd00:10::2 as 64512;", text);
        Assert.DoesNotContain("external4", text);
    }

    [Fact]
    public void Only_its_own_subnet_is_announced_and_only_leased_subnets_from_their_holder_accepted()
    {
        string text = Render(Mesh, DualSelf, Near, Far);
        Assert.Contains("route 10.244.2.0/24 unreachable;", text);
        Assert.Contains("route fd00:244:2::/64 unreachable;", text);
        Assert.Contains("if net = 10.244.3.0/24 then { if bgp_next_hop = 192.168.10.3 then accept; reject; }", text);
        Assert.Contains("if net = 10.244.4.0/24 then { if bgp_next_hop = 192.168.20.4 then accept; reject; }", text);
        Assert.Contains("if net = fd00:244:4::/64 then { if bgp_next_hop = fd00:20::4 then accept; reject; }", text);
        Assert.Contains("if net ~ [ 10.244.3.0/24, 10.244.4.0/24 ] then accept;", text);
        // Its own subnet is never accepted back, from anyone.
        Assert.DoesNotContain("if net = 10.244.2.0/24", text);
        Assert.Contains("filter cluster_out4 {\n    if proto = \"pods4\" then accept;\n    reject;\n}", text);
    }

    [Fact]
    public void The_kernel_gets_peer_routes_only_and_imports_nothing()
    {
        string text = Render(Mesh, DualSelf, Near);
        Assert.Contains("ipv4 { import none; export filter kernel_out4; };", text);
        Assert.Contains("filter kernel_out4 {\n    if source != RTS_BGP then reject;\n    if dest != RTD_UNICAST then reject;\n    accept;\n}", text);
        Assert.Equal(1, Count(text, "protocol kernel kernel4"));
    }

    [Fact]
    public void Next_hops_resolve_through_the_underlay_and_its_gateways()
    {
        string text = Render(Mesh, DualSelf, Near);
        Assert.Contains("protocol direct underlay { ipv4 { table underlay4; }; ipv6 { table underlay6; }; interface \"eth0\"; }", text);
        Assert.Contains("route 0.0.0.0/0 via 192.168.10.1;", text);
        Assert.Contains("route ::/0 via fe80::1%eth0;", text);
        Assert.Contains("gateway recursive; igp table underlay4;", text);
    }

    [Fact]
    public void Crosssubnet_keeps_routes_via_other_subnets_out_of_the_kernel()
    {
        string text = Render(Mesh with { CrossSubnet = true }, DualSelf, Near, Far);
        Assert.Contains("if !(bgp_next_hop ~ 192.168.10.0/24) then reject;", text);
        Assert.Contains("if !(bgp_next_hop ~ fd00:10::/64) then reject;", text);
    }

    [Fact]
    public void A_reflector_client_peers_with_the_reflectors_only()
    {
        var options = Mesh with { Mode = BgpMode.Reflector, RouteReflectors = [IPAddress.Parse("192.168.10.1"), IPAddress.Parse("192.168.20.1")] };
        string text = Render(options, Self("10.244.2.0/24"), Near, Far);
        Assert.Contains("protocol bgp rr_192_168_10_1 from cluster4 { neighbor 192.168.10.1 as 64512; }", text);
        Assert.Contains("protocol bgp rr_192_168_20_1 from cluster4", text);
        Assert.DoesNotContain("mesh_", text);
        Assert.DoesNotContain("rr client", text);
        // The filter still knows every leased subnet: what a reflector passes on is checked against it.
        Assert.Contains("if net = 10.244.4.0/24 then { if bgp_next_hop = 192.168.20.4 then accept; reject; }", text);
    }

    [Fact]
    public void A_node_listed_as_reflector_serves_the_others_as_clients()
    {
        var options = Mesh with { Mode = BgpMode.Reflector, RouteReflectors = [IPAddress.Parse("192.168.10.3"), IPAddress.Parse("192.168.10.2")] };
        string text = Render(options, Self("10.244.2.0/24"), Near, Far);
        Assert.Contains("protocol bgp rrclient_192_168_20_4 from cluster4 { neighbor 192.168.20.4 as 64512; rr client; rr cluster id 192.168.10.2; }", text);
        // The other reflector is a plain iBGP peer, not a client.
        Assert.Contains("protocol bgp rr_192_168_10_3 from cluster4 { neighbor 192.168.10.3 as 64512; }", text);
        Assert.Contains("if source = RTS_BGP then accept;", text);
        Assert.DoesNotContain("rr_192_168_10_2", text);
    }

    [Fact]
    public void A_node_reflects_only_the_families_it_is_listed_for()
    {
        var options = Mesh with { Mode = BgpMode.Reflector, RouteReflectors = [IPAddress.Parse("192.168.10.2")] };
        string text = Render(options, DualSelf, Near);
        Assert.Contains("protocol bgp rrclient_192_168_10_3 from cluster4", text);
        // No IPv6 reflector listed: no IPv6 sessions at all, rather than clients nobody connects to.
        Assert.DoesNotContain("from cluster6", text);
        Assert.Contains("filter cluster_out6 {\n    if proto = \"pods6\" then accept;\n    reject;\n}", text);
    }

    [Fact]
    public void External_peers_get_own_subnets_and_multihop_when_behind_a_router()
    {
        var options = Mesh with
        {
            ExternalPeers = [new ExternalPeer(IPAddress.Parse("192.168.10.254"), 65000), new ExternalPeer(IPAddress.Parse("10.9.9.9"), 65001)],
        };
        string text = Render(options, Self("10.244.2.0/24"), Near);
        Assert.Contains("protocol bgp peer_192_168_10_254 from external4 { neighbor 192.168.10.254 as 65000; }", text);
        Assert.Contains("protocol bgp peer_10_9_9_9 from external4 { neighbor 10.9.9.9 as 65001; multihop; }", text);
        Assert.Contains("filter external_out4 {\n    if proto = \"pods4\" then accept;\n    reject;\n}", text);
        Assert.Contains("ipv4 { import filter external_in4; export filter external_out4; gateway recursive; igp table underlay4; };", text);
    }

    [Fact]
    public void Timers_are_rendered_as_given()
    {
        string tuned = Render(Mesh, Self("10.244.2.0/24"), Near);
        Assert.Contains("connect delay time 0;\n", tuned);
        Assert.Contains("connect retry time 2;\n", tuned);
        Assert.Contains("hold time 9;\n", tuned);
        Assert.Contains("keepalive time 3;\n", tuned);
        Assert.Contains("graceful restart on; graceful restart time 30;", tuned);
        Assert.DoesNotContain("bfd", tuned);

        var other = Mesh with { Timers = BgpTimers.Tuned with { Hold = TimeSpan.Zero, GracefulRestart = TimeSpan.Zero, BfdInterval = TimeSpan.FromMilliseconds(300) } };
        string text = Render(other, Self("10.244.2.0/24"), Near);
        Assert.Contains("hold time 0;\n", text);
        Assert.DoesNotContain("keepalive time", text);
        Assert.Contains("graceful restart off;", text);
        Assert.Contains("bfd on;", text);
        Assert.Contains("interface \"eth0\" { min rx interval 300 ms; min tx interval 300 ms; multiplier 3; };", text);
    }

    [Fact]
    public void The_same_input_renders_the_same_text()
    {
        Assert.Equal(Render(Mesh, DualSelf, Near, Far), Render(Mesh, DualSelf, Near, Far));
    }

    [Fact]
    public void A_family_without_a_subnet_or_an_underlay_address_is_left_out()
    {
        string text = Render(Mesh, Self("10.244.2.0/24"), Near);
        Assert.DoesNotContain("ipv6", text);
        Assert.DoesNotContain("mesh_fd00", text);
    }

    [BirdFact]
    public void Bird_parses_every_variant()
    {
        var reflectorNode = Mesh with { Mode = BgpMode.Reflector, RouteReflectors = [IPAddress.Parse("192.168.10.2"), IPAddress.Parse("fd00:10::9")] };
        BgpOptions[] variants =
        [
            Mesh,
            Mesh with { CrossSubnet = true },
            Mesh with { Mode = BgpMode.Reflector, RouteReflectors = [IPAddress.Parse("192.168.10.1"), IPAddress.Parse("fd00:10::1")] },
            reflectorNode,
            Mesh with { ExternalPeers = [new ExternalPeer(IPAddress.Parse("192.168.10.254"), 65000), new ExternalPeer(IPAddress.Parse("fd00:99::1"), 64512)] },
            Mesh with { Timers = BgpTimers.BirdDefaults },
            Mesh with { Timers = BgpTimers.Tuned with { Hold = TimeSpan.Zero, GracefulRestart = TimeSpan.Zero, BfdInterval = TimeSpan.FromMilliseconds(100) } },
        ];
        string dir = Directory.CreateTempSubdirectory("cnisharp-bird-config-").FullName;
        try
        {
            int i = 0;
            foreach (BgpOptions options in variants)
            {
                foreach (string text in new[] { Render(options, DualSelf, Near, Far), Render(options, DualSelf), Render(options, Self("10.244.2.0/24"), Near) })
                {
                    string file = Path.Combine(dir, $"bird-{i++}.conf");
                    File.WriteAllText(file, text);
                    CommandResult check = ExternalCommand.Run(ExternalCommand.Resolve("bird")!, ["-p", "-c", file]);
                    Assert.True(check.Succeeded, $"bird -p refused variant {i - 1}: {check.Text}\n{text}");
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
