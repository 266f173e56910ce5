using System.Net;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Cli;

/// <summary>Where the datastore is and how subnets are leased from it (shared by the agent and <c>leave</c>).</summary>
internal sealed record DatastoreOptions
{
    public required DatastoreKind Kind { get; init; }
    public IReadOnlyList<string> EtcdEndpoints { get; init; } = [];
    public string EtcdPrefix { get; init; } = "/cnisharp/network";
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Kubernetes: the kubeconfig file; null means the in-cluster service account.</summary>
    public string? Kubeconfig { get; init; }
}

/// <summary>Everything <c>cnisharp-agent</c> was told on its command line, validated.</summary>
internal sealed record AgentOptions
{
    public required string NodeName { get; init; }
    public required DatastoreOptions Datastore { get; init; }
    /// <summary>etcd: node subnets are leased from these; both datastores: exempt from masquerade.</summary>
    public IReadOnlyList<IPPrefix> ClusterCidrs { get; init; } = [];
    public int SubnetSizeV4 { get; init; } = 24;
    public int SubnetSizeV6 { get; init; } = 64;
    public required BackendKind Backend { get; init; }
    /// <summary>--backend bgp: the BGP and BIRD settings; null for the other backends.</summary>
    public Bgp.BgpOptions? Bgp { get; init; }
    /// <summary>The underlay interface; null: the interface of the default route (or of --public-ip).</summary>
    public string? Interface { get; init; }
    /// <summary>The underlay address; null: the first global address of the underlay interface.</summary>
    public IPAddress? PublicIP { get; init; }
    public ConflistPlugin Plugin { get; init; } = ConflistPlugin.Ptp;
    public string CniConfDir { get; init; } = "/etc/cni/net.d";
    public string DataDir { get; init; } = "/var/lib/cni";
    public string StateDir { get; init; } = "/run/cnisharp-agent";
    /// <summary>HOST:PORT for /healthz and /metrics; null: no HTTP endpoint.</summary>
    public string? HealthAddress { get; init; }
    public bool LogJson { get; init; }
    public bool Verbose { get; init; }
}
