using System.Net;
using CniSharp.Agent.Datastore;
using CniSharp.Agent.Datastore.Etcd;
using CniSharp.Agent.Tests.Infrastructure;
using CniSharp.Ip;
using dotnet_etcd;
using Serilog;

namespace CniSharp.Agent.Tests.Datastore;

/// <summary>The etcd store against a real, private etcd: CAS leasing, re-acquisition, the watch, leave.</summary>
public sealed class EtcdSubnetStoreTests(EtcdServer etcd) : IClassFixture<EtcdServer>
{
    private static readonly ILogger Quiet = new LoggerConfiguration().CreateLogger();
    private readonly string _prefix = $"/test-{Guid.NewGuid():N}";

    private EtcdSubnetStore Store(string cidrs = "10.77.0.0/28", int size = 30, int ttlSeconds = 30) => new(new EtcdStoreSettings
    {
        Endpoints = [etcd.Endpoint],
        Prefix = _prefix,
        LeaseTtl = TimeSpan.FromSeconds(ttlSeconds),
        ClusterCidrs = cidrs.Split(',').Select(IPPrefix.Parse).ToList(),
        SubnetSizeV4 = size,
        SubnetSizeV6 = 64,
    }, Quiet);

    private static NodeAttributes Node(string name) =>
        new(name, IPAddress.Parse("192.0.2." + (name.Length + name[^1] % 200)), null, BackendKind.HostGw, null);

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [EtcdFact]
    public async Task Concurrent_nodes_get_distinct_subnets_until_the_cidr_is_full()
    {
        // 10.77.0.0/28 holds four /30s: four nodes racing for them must each win a different one.
        var stores = Enumerable.Range(0, 4).Select(_ => Store()).ToList();
        NodeLease[] leases = await Task.WhenAll(stores.Select((s, i) => s.AcquireAsync(Node($"node-{i}"), [], Timeout)));
        Assert.Equal(4, leases.Select(l => l.Subnets.Single()).Distinct().Count());
        Assert.All(leases, l => Assert.True(IPPrefix.Parse("10.77.0.0/28").Contains(l.Subnets[0].Address)));

        await using EtcdSubnetStore fifth = Store();
        var full = await Assert.ThrowsAsync<SubnetStoreException>(() => fifth.AcquireAsync(Node("node-4"), [], Timeout));
        Assert.Contains("no free /30", full.Message);
        foreach (EtcdSubnetStore s in stores) await s.DisposeAsync();
    }

    [EtcdFact]
    public async Task Restart_adopts_the_same_subnets_on_the_same_lease_and_new_attributes_are_published()
    {
        NodeLease first;
        long lease;
        await using (EtcdSubnetStore before = Store("10.77.0.0/24,fd00:77::/48", 26))
        {
            first = await before.AcquireAsync(Node("n1"), [], Timeout);
            lease = before.LeaseId;
        }
        await using EtcdSubnetStore after = Store("10.77.0.0/24,fd00:77::/48", 26);
        NodeAttributes moved = Node("n1") with { Backend = BackendKind.Vxlan, VtepMac = System.Net.NetworkInformation.PhysicalAddress.Parse("02-00-00-00-00-01") };
        NodeLease second = await after.AcquireAsync(moved, [], Timeout);
        Assert.Equal(first.Subnets, second.Subnets);
        Assert.Equal(2, second.Subnets.Count);
        Assert.Equal(lease, after.LeaseId);

        using var client = new EtcdClient(etcd.Endpoint);
        var kvs = (await client.GetRangeAsync(_prefix + "/subnets/")).Kvs;
        Assert.Equal(2, kvs.Count);
        Assert.All(kvs, kv => Assert.Equal(lease, kv.Lease));
        Assert.All(kvs, kv => Assert.Contains("\"backend\":\"vxlan\"", kv.Value.ToStringUtf8()));
        Assert.Contains(kvs, kv => kv.Key.ToStringUtf8() == $"{_prefix}/subnets/{second.Subnets[0].Address}-26");
    }

    [EtcdFact]
    public async Task A_preferred_subnet_is_taken_when_free()
    {
        await using EtcdSubnetStore store = Store("10.77.0.0/24", 28);
        NodeLease lease = await store.AcquireAsync(Node("n1"), [IPPrefix.Parse("10.77.0.208/28")], Timeout);
        Assert.Equal([IPPrefix.Parse("10.77.0.208/28")], lease.Subnets);
    }

    [EtcdFact]
    public async Task Watch_sees_peers_join_and_leave_but_never_itself()
    {
        await using EtcdSubnetStore a = Store("10.77.0.0/24", 28), b = Store("10.77.0.0/24", 28);
        await a.AcquireAsync(Node("a"), [], Timeout);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using IAsyncEnumerator<IReadOnlyList<NodeLease>> sets = a.WatchPeersAsync("a", stop.Token).GetAsyncEnumerator(stop.Token);

        Assert.True(await sets.MoveNextAsync());
        Assert.Empty(sets.Current);
        NodeLease joined = await b.AcquireAsync(Node("b"), [], Timeout);
        Assert.True(await sets.MoveNextAsync());
        Assert.Equal(joined, Assert.Single(sets.Current));

        Assert.True(await b.LeaveAsync("b", Timeout));
        Assert.True(await sets.MoveNextAsync());
        Assert.Empty(sets.Current);
        Assert.False(await b.LeaveAsync("b", Timeout));
        await stop.CancelAsync();
    }
}
