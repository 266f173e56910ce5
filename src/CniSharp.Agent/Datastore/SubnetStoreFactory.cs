using CniSharp.Agent.Cli;
using CniSharp.Agent.Datastore.Etcd;

namespace CniSharp.Agent.Datastore;

/// <summary>The one place that maps <c>--datastore</c> to an <see cref="ISubnetStore"/>.</summary>
internal static class SubnetStoreFactory
{
    public static ISubnetStore Create(DatastoreOptions datastore, AgentOptions? agent, Serilog.ILogger log) => datastore.Kind switch
    {
        DatastoreKind.Etcd => new EtcdSubnetStore(EtcdStoreSettings.From(datastore, agent), log),
        // The Kubernetes store (Node spec.podCIDRs + annotations) plugs in here.
        DatastoreKind.Kubernetes => throw new SubnetStoreException("--datastore kubernetes is not available in this build yet"),
        _ => throw new ArgumentOutOfRangeException(nameof(datastore), datastore.Kind, null),
    };
}
