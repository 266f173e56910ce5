using CniSharp.Agent.Cli;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Cli;

public class AgentCommandLineTests
{
    private static readonly string[] Etcd =
        ["--node-name", "n1", "--datastore", "etcd", "--etcd-endpoints", "http://127.0.0.1:2379", "--cluster-cidr", "10.244.0.0/16"];

    private static AgentOptions Run(params string[] extra) =>
        Assert.IsType<AgentCommand.Run>(AgentCommandLine.Parse([.. Etcd, .. extra])).Options;

    [Fact]
    public void Defaults_match_the_issue()
    {
        AgentOptions o = Run("--backend", "vxlan");
        Assert.Equal("n1", o.NodeName);
        Assert.Equal(DatastoreKind.Etcd, o.Datastore.Kind);
        Assert.Equal("/cnisharp/network", o.Datastore.EtcdPrefix);
        Assert.Equal(TimeSpan.FromSeconds(60), o.Datastore.LeaseTtl);
        Assert.Equal((24, 64), (o.SubnetSizeV4, o.SubnetSizeV6));
        Assert.Equal(ConflistPlugin.Ptp, o.Plugin);
        Assert.Equal("/etc/cni/net.d", o.CniConfDir);
        Assert.Equal("/var/lib/cni", o.DataDir);
        Assert.Equal("/run/cnisharp-agent", o.StateDir);
        Assert.Null(o.HealthAddress);
        Assert.Equal([IPPrefix.Parse("10.244.0.0/16")], o.ClusterCidrs);
    }

    [Fact]
    public void Every_flag_is_read_in_both_spellings()
    {
        AgentOptions o = Run("--backend=crosssubnet", "--iface", "eth1", "--plugin=bridge", "--cni-conf-dir", "/tmp/c",
            "--data-dir=/tmp/d", "--state-dir", "/tmp/s", "--health-addr", "127.0.0.1:9099", "--subnet-size", "26,80",
            "--etcd-prefix", "/x/y/", "--lease-ttl", "2m");
        Assert.Equal(BackendKind.CrossSubnet, o.Backend);
        Assert.Equal("eth1", o.Interface);
        Assert.Equal(ConflistPlugin.Bridge, o.Plugin);
        Assert.Equal(("/tmp/c", "/tmp/d", "/tmp/s"), (o.CniConfDir, o.DataDir, o.StateDir));
        Assert.Equal("127.0.0.1:9099", o.HealthAddress);
        Assert.Equal((26, 80), (o.SubnetSizeV4, o.SubnetSizeV6));
        Assert.Equal("/x/y", o.Datastore.EtcdPrefix);
        Assert.Equal(TimeSpan.FromMinutes(2), o.Datastore.LeaseTtl);
    }

    [Fact]
    public void Leave_needs_only_node_and_datastore()
    {
        var leave = Assert.IsType<AgentCommand.Leave>(AgentCommandLine.Parse(
            ["leave", "--node-name", "n2", "--datastore", "etcd", "--etcd-endpoints", "http://a:1,http://b:2"]));
        Assert.Equal("n2", leave.NodeName);
        Assert.Equal(["http://a:1", "http://b:2"], leave.Datastore.EtcdEndpoints);
        Assert.Throws<UsageException>(() => AgentCommandLine.Parse(
            ["leave", "--node-name", "n2", "--datastore", "etcd", "--etcd-endpoints", "http://a:1", "--backend", "vxlan"]));
    }

    [Theory]
    [InlineData(false, "this kernel has no ipip")]
    [InlineData(true, "not implemented")]
    public void Ipip_is_refused_with_the_reason(bool kernelHasIpip, string expected)
    {
        Func<bool> saved = AgentCommandLine.KernelHasIpip;
        AgentCommandLine.KernelHasIpip = () => kernelHasIpip;
        try
        {
            var e = Assert.Throws<UsageException>(() => Run("--backend", "ipip"));
            Assert.Contains(expected, e.Message);
        }
        finally
        {
            AgentCommandLine.KernelHasIpip = saved;
        }
    }

    [Fact]
    public void This_kernel_has_no_ipip() =>
        // The brief's machine: no ipip module. A kernel with one makes this fail, which is the point.
        Assert.Equal(Directory.Exists("/sys/module/ipip"), IpipSupport.KernelHasIpip());

    [Theory]
    [InlineData("--backend", "calico")]
    [InlineData("--backend", "vxlan", "--plugin", "macvlan")]
    [InlineData("--backend", "vxlan", "--cluster-cidr", "10.244.0.0/16")] // given twice
    [InlineData("--backend", "vxlan", "--subnet-size", "8")]
    [InlineData("--backend", "vxlan", "--health-addr", "nope")]
    [InlineData("--backend", "vxlan", "--public-ip", "1.2.3")]
    [InlineData("--backend", "vxlan", "--iface", "eth0", "--public-ip", "192.0.2.1")]
    [InlineData("--backend", "vxlan", "--frobnicate", "1")]
    [InlineData("--backend")]
    public void Mistakes_are_usage_errors(params string[] extra) =>
        Assert.Throws<UsageException>(() => Run(extra));

    [Fact]
    public void Etcd_needs_endpoints_and_a_cluster_cidr()
    {
        Assert.Throws<UsageException>(() => AgentCommandLine.Parse(["--node-name", "n", "--datastore", "etcd", "--backend", "vxlan", "--cluster-cidr", "10.0.0.0/8"]));
        var e = Assert.Throws<UsageException>(() => AgentCommandLine.Parse(
            ["--node-name", "n", "--datastore", "etcd", "--etcd-endpoints", "http://a:1", "--backend", "vxlan"]));
        Assert.Contains("--cluster-cidr", e.Message);
        Assert.Throws<UsageException>(() => AgentCommandLine.Parse(
            ["--node-name", "n", "--datastore", "etcd", "--etcd-endpoints", "http://a:1", "--backend", "vxlan", "--cluster-cidr", "10.244.1.0/16"]));
    }

    [Fact]
    public void Help_wins() => Assert.IsType<AgentCommand.Help>(AgentCommandLine.Parse(["--help"]));

    [Theory]
    [InlineData("60s", 60)]
    [InlineData("90", 90)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("500ms", 0.5)]
    public void Durations(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out TimeSpan value));
        Assert.Equal(seconds, value.TotalSeconds, 3);
    }
}
