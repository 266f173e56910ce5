using System.Diagnostics;
using System.Net;
using CniSharp.Agent.Cli;
using CniSharp.Agent.Conflist;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Agent.Health;
using CniSharp.Agent.Reconcile;
using CniSharp.Agent.Tests.Fakes;
using CniSharp.Ip;
using Serilog;
using static CniSharp.Agent.Tests.Reconcile.DesiredStateTests;

namespace CniSharp.Agent.Tests.Reconcile;

/// <summary>The agent's loop on an in-memory datastore and dataplane: when it may touch the kernel, and what it keeps.</summary>
public sealed class AgentLoopTests : IDisposable
{
    private static readonly ILogger Quiet = new LoggerConfiguration().CreateLogger();
    private static readonly IReadOnlyList<IPPrefix> Own = [IPPrefix.Parse("10.244.2.0/24")];
    private readonly string _dir = Directory.CreateTempSubdirectory("cnisharp-agent-loop-").FullName;
    private readonly FakeDataplane _kernel = new();
    private readonly FakeSubnetStore _store = new(Own);
    private readonly FakeMasquerade _masquerade = new();
    private readonly AgentStatusHolder _status = new(new AgentStatus { Node = "self", Backend = "host-gw" });

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private AgentOptions Options => new()
    {
        NodeName = "self",
        Datastore = new DatastoreOptions { Kind = DatastoreKind.Etcd },
        Backend = BackendKind.HostGw,
        CniConfDir = Path.Combine(_dir, "net.d"),
        DataDir = Path.Combine(_dir, "data"),
        StateDir = Path.Combine(_dir, "state"),
        ClusterCidrs = [IPPrefix.Parse("10.244.0.0/16"), IPPrefix.Parse("fd00:244::/56")],
    };

    private (AgentLoop Loop, NodeLease Lease) Start()
    {
        Directory.CreateDirectory(Options.StateDir);
        var reconciler = new Reconciler(_kernel, BackendKind.HostGw, "self", Quiet);
        reconciler.Prepare(null, null);
        var self = new NodeAttributes("self", IPAddress.Parse("192.168.10.2"), null, BackendKind.HostGw, null);
        var loop = new AgentLoop(Options, _store, reconciler, self, _masquerade, _status, new AgentMetrics(), Quiet);
        return (loop, new NodeLease(self, Own));
    }

    private static async Task Until(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("condition not met within 10 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Nothing_is_touched_before_the_first_peer_set_then_the_conflist_follows_the_first_pass()
    {
        // A predecessor's route to a peer: without knowing the peers yet, the loop must leave it alone.
        var inherited = new AgentRoute(IPPrefix.Parse("10.244.3.0/24"), IPAddress.Parse("192.168.10.3"), 2, false);
        _kernel.Routes.Add(inherited);
        (AgentLoop loop, NodeLease lease) = Start();
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(lease, stop.Token);

        await Task.Delay(AgentLoop.HealInterval + TimeSpan.FromMilliseconds(500));  // at least one self-heal tick
        Assert.Contains(inherited, _kernel.Routes);
        Assert.Equal(0, _kernel.Writes);
        Assert.False(File.Exists(Path.Combine(Options.CniConfDir, ConflistWriter.FileName)));
        Assert.False(_status.Current.Synced);

        // The same peer is listed: adopted as it is. Then it departs: its route goes.
        _store.PublishPeers(Peer("near", "192.168.10.3", BackendKind.HostGw, false, "10.244.3.0/24"));
        await Until(() => _status.Current.Synced);
        Assert.Equal(0, _kernel.Writes);
        Assert.True(File.Exists(Path.Combine(Options.CniConfDir, ConflistWriter.FileName)));
        Assert.True(File.Exists(Path.Combine(Options.StateDir, ReadinessFile.FileName)));
        _store.PublishPeers();
        await Until(() => _kernel.Routes.Count == 0);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_lost_lease_is_acquired_again_asking_for_the_same_subnets()
    {
        (AgentLoop loop, NodeLease lease) = Start();
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(lease, stop.Token);
        _store.PublishPeers();
        await Until(() => _status.Current.Synced && _status.Current.LeaseHeld);

        _store.LoseLease();
        await Until(() => _store.AcquireCalls.Count == 1);
        Assert.Equal(Own, _store.AcquireCalls[0]);
        await Until(() => _status.Current.LeaseHeld);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Stopping_is_quick_and_keeps_routes_conflist_and_readiness_file()
    {
        (AgentLoop loop, NodeLease lease) = Start();
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(lease, stop.Token);
        _store.PublishPeers(Peer("near", "192.168.10.3", BackendKind.HostGw, false, "10.244.3.0/24"));
        await Until(() => _kernel.Routes.Count == 1 && _status.Current.Synced);

        var clock = Stopwatch.StartNew();
        await stop.CancelAsync();
        await running;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {clock.Elapsed}");
        Assert.Single(_kernel.Routes);
        Assert.True(File.Exists(Path.Combine(Options.CniConfDir, ConflistWriter.FileName)));
        Assert.True(File.Exists(Path.Combine(Options.StateDir, ReadinessFile.FileName)));
    }

    [Fact]
    public async Task Masquerade_exempts_the_cluster_and_every_node_subnet_following_the_peer_set()
    {
        (AgentLoop loop, NodeLease lease) = Start();
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(lease, stop.Token);
        // A peer with a subnet outside the cluster CIDR (a second range added later): exempt all the same.
        _store.PublishPeers(Peer("near", "192.168.10.3", BackendKind.HostGw, false, "10.245.3.0/24"));
        await Until(() => _masquerade.Last?.Exempt.Contains(IPPrefix.Parse("10.245.3.0/24")) == true);
        (IReadOnlyList<IPPrefix> sources, IReadOnlyList<IPPrefix> exempt) = _masquerade.Last!.Value;
        Assert.Equal(Own, sources);
        Assert.Contains(IPPrefix.Parse("10.244.0.0/16"), exempt);
        Assert.Contains(IPPrefix.Parse("fd00:244::/56"), exempt);
        Assert.Contains(Own[0], exempt);

        // The peer departs: its subnet is no longer exempt (its addresses may now be anyone's).
        _store.PublishPeers();
        await Until(() => _masquerade.Last?.Exempt.Contains(IPPrefix.Parse("10.245.3.0/24")) == false);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_kernel_refusing_masquerade_is_an_error_metric_not_a_dead_agent()
    {
        _masquerade.Fail = true;
        (AgentLoop loop, NodeLease lease) = Start();
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(lease, stop.Token);
        _store.PublishPeers(Peer("near", "192.168.10.3", BackendKind.HostGw, false, "10.244.3.0/24"));
        await Until(() => _kernel.Routes.Count == 1 && _status.Current.Synced);
        Assert.False(running.IsCompleted);

        _masquerade.Fail = false;
        await Until(() => _masquerade.Last is not null);
        await stop.CancelAsync();
        await running;
    }
}
