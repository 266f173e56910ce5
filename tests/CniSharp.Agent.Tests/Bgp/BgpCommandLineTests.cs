using System.Net;
using CniSharp.Agent.Bgp;
using CniSharp.Agent.Cli;

namespace CniSharp.Agent.Tests.Bgp;

public class BgpCommandLineTests
{
    private static readonly string[] Etcd =
        ["--node-name", "n1", "--datastore", "etcd", "--etcd-endpoints", "http://127.0.0.1:2379", "--cluster-cidr", "10.244.0.0/16"];

    private static BgpOptions Bgp(params string[] extra) =>
        Assert.IsType<AgentCommand.Run>(AgentCommandLine.Parse([.. Etcd, "--backend", "bgp", .. extra])).Options.Bgp!;

    [Fact]
    public void Defaults_are_a_tuned_mesh_in_as_64512()
    {
        BgpOptions o = Bgp();
        Assert.Equal((64512u, BgpMode.Mesh, false, false), (o.As, o.Mode, o.CrossSubnet, o.KeepBirdOnExit));
        Assert.Equal(BgpTimers.Tuned, o.Timers);
        Assert.Equal(("bird", "birdc"), (o.BirdBin, o.BirdcBin));
        Assert.Empty(o.ExternalPeers);
    }

    [Fact]
    public void Every_flag_is_read()
    {
        BgpOptions o = Bgp("--bgp-as", "65010", "--bgp-mode", "reflector", "--bgp-route-reflectors", "10.0.0.1, fd00::1",
            "--bgp-peers", "10.0.0.254:65000,[fd00::fe]:65001", "--bgp-crosssubnet", "--bird-keep-on-exit",
            "--bgp-connect-delay", "1s", "--bgp-connect-retry", "5", "--bgp-hold-time", "30s", "--bgp-keepalive", "10s",
            "--bgp-graceful-restart", "2m", "--bgp-bfd", "300ms", "--bgp-bfd-multiplier", "4", "--bird-bin", "/opt/bird", "--birdc-bin=/opt/birdc");
        Assert.Equal((65010u, BgpMode.Reflector, true, true), (o.As, o.Mode, o.CrossSubnet, o.KeepBirdOnExit));
        Assert.Equal([IPAddress.Parse("10.0.0.1"), IPAddress.Parse("fd00::1")], o.RouteReflectors);
        Assert.Equal([new ExternalPeer(IPAddress.Parse("10.0.0.254"), 65000), new ExternalPeer(IPAddress.Parse("fd00::fe"), 65001)], o.ExternalPeers);
        Assert.Equal(new BgpTimers(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10),
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(300), 4), o.Timers);
        Assert.Equal(("/opt/bird", "/opt/birdc"), (o.BirdBin, o.BirdcBin));
    }

    [Fact]
    public void Keepalive_follows_the_hold_time_and_graceful_restart_can_be_off()
    {
        BgpOptions o = Bgp("--bgp-hold-time", "60s", "--bgp-graceful-restart", "off");
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), TimeSpan.Zero), (o.Timers.Hold, o.Timers.Keepalive, o.Timers.GracefulRestart));
    }

    [Theory]
    [InlineData("--bgp-mode=reflector", "needs --bgp-route-reflectors")]
    [InlineData("--bgp-route-reflectors=10.0.0.1", "needs --bgp-mode reflector")]
    [InlineData("--bgp-mode=full", "\"full\" (mesh, reflector)")]
    [InlineData("--bgp-as=0", "AS number")]
    [InlineData("--bgp-as=70000000000", "AS number")]
    [InlineData("--bgp-peers=10.0.0.1", "IP:AS")]
    [InlineData("--bgp-peers=fd00::1:65000", "[IP]:AS")]
    [InlineData("--bgp-peers=10.0.1:65000", "not an IP address")]
    [InlineData("--bgp-hold-time=2s", "at least 3s")]
    [InlineData("--bgp-hold-time=1.5s", "whole seconds")]
    [InlineData("--bgp-connect-retry=0s", "above 0")]
    [InlineData("--bgp-keepalive=9s", "shorter than the hold time")]
    [InlineData("--bgp-bfd=5ms", "between 10ms and 60s")]
    [InlineData("--bgp-bfd-multiplier=0", "1 to 255")]
    public void Mistakes_name_the_flag(string flag, string message)
    {
        UsageException e = Assert.Throws<UsageException>(() => Bgp(flag));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Bgp_flags_need_the_bgp_backend()
    {
        UsageException e = Assert.Throws<UsageException>(() => AgentCommandLine.Parse([.. Etcd, "--backend", "vxlan", "--bgp-crosssubnet"]));
        Assert.Contains("--bgp-crosssubnet needs --backend bgp", e.Message);
        Assert.Null(Assert.IsType<AgentCommand.Run>(AgentCommandLine.Parse([.. Etcd, "--backend", "vxlan"])).Options.Bgp);
    }

    [Fact]
    public void Status_and_leave_take_a_state_dir()
    {
        var status = Assert.IsType<AgentCommand.Status>(AgentCommandLine.Parse(["status", "--state-dir", "/tmp/s"]));
        Assert.Equal(("/tmp/s", "birdc"), (status.StateDir, status.BirdcBin));
        Assert.Equal("/run/cnisharp-agent", Assert.IsType<AgentCommand.Status>(AgentCommandLine.Parse(["status"])).StateDir);
        var leave = Assert.IsType<AgentCommand.Leave>(AgentCommandLine.Parse(
            ["leave", "--node-name", "n2", "--datastore", "etcd", "--etcd-endpoints", "http://a:1", "--state-dir", "/tmp/s"]));
        Assert.Equal("/tmp/s", leave.StateDir);
        Assert.Throws<UsageException>(() => AgentCommandLine.Parse(["status", "--node-name", "x"]));
    }
}
