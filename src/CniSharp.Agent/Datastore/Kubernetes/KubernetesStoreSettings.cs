using CniSharp.Agent.Cli;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>What the Kubernetes store needs: which credentials, and how long one watch request runs.</summary>
internal sealed record KubernetesStoreSettings
{
    /// <summary>The kubeconfig file (<c>--kubeconfig</c>); null: the pod's service account (in-cluster).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>
    /// The server ends each watch after this long (<c>timeoutSeconds</c>) and the store resumes it from the last
    /// resourceVersion; a connection silent for longer than this plus a margin is taken for dead.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Pause before listing again after the API server failed or could not be reached.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public static KubernetesStoreSettings From(DatastoreOptions datastore) => new() { Kubeconfig = datastore.Kubeconfig };
}
