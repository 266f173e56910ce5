using CniSharp.Agent.Cli;
using CniSharp.Ip;

namespace CniSharp.Agent.Datastore.Etcd;

/// <summary>What the etcd store needs: where etcd is, the key prefix, the lease TTL and how subnets are cut.</summary>
internal sealed record EtcdStoreSettings
{
    public required IReadOnlyList<string> Endpoints { get; init; }
    public required string Prefix { get; init; }
    public required TimeSpan LeaseTtl { get; init; }
    public IReadOnlyList<IPPrefix> ClusterCidrs { get; init; } = [];
    public int SubnetSizeV4 { get; init; } = 24;
    public int SubnetSizeV6 { get; init; } = 64;
    /// <summary>Deadline of one unary call: a dead endpoint must not hang the agent.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public static EtcdStoreSettings From(DatastoreOptions datastore, AgentOptions? agent) => new()
    {
        Endpoints = datastore.EtcdEndpoints,
        Prefix = datastore.EtcdPrefix,
        LeaseTtl = datastore.LeaseTtl,
        ClusterCidrs = agent?.ClusterCidrs ?? [],
        SubnetSizeV4 = agent?.SubnetSizeV4 ?? 24,
        SubnetSizeV6 = agent?.SubnetSizeV6 ?? 64,
    };

    public int SubnetSize(IPPrefix clusterCidr) => clusterCidr.IsIPv4 ? SubnetSizeV4 : SubnetSizeV6;
}
