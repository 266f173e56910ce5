using CniSharp.Agent.Cli;
using CniSharp.Agent.Datastore.Etcd;
using CniSharp.Agent.Datastore.Kubernetes;

namespace CniSharp.Agent.Datastore;

/// <summary>The one place that maps <c>--datastore</c> to an <see cref="ISubnetStore"/>.</summary>
internal static class SubnetStoreFactory
{
    public static ISubnetStore Create(DatastoreOptions datastore, AgentOptions? agent, Serilog.ILogger log) => datastore.Kind switch
    {
        DatastoreKind.Etcd => new EtcdSubnetStore(EtcdStoreSettings.From(datastore, agent), log),
        DatastoreKind.Kubernetes => new KubernetesSubnetStore(KubernetesStoreSettings.From(datastore), log),
        _ => throw new ArgumentOutOfRangeException(nameof(datastore), datastore.Kind, null),
    };
}
