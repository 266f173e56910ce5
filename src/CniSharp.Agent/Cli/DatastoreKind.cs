namespace CniSharp.Agent.Cli;

internal enum DatastoreKind
{
    Etcd,
    Kubernetes,
}
