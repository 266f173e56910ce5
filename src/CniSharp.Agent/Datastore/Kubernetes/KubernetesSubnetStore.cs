using Serilog;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>
/// <see cref="ISubnetStore"/> on the Kubernetes API (KubernetesClient.Aot): a node's subnets are its Node's
/// <c>spec.podCIDRs</c> (allocated by kube-controller-manager), what peers need is published as annotations on
/// the Node (<see cref="NodeAnnotations"/>), and a node has departed when its Node object is deleted.
/// RBAC: nodes get/list/watch/patch and nodes/status patch, nothing more.
/// </summary>
internal sealed partial class KubernetesSubnetStore : ISubnetStore
{
    private readonly KubernetesStoreSettings _settings;
    private readonly StreamingKubernetes _client;
    private readonly ILogger _log;

    public KubernetesSubnetStore(KubernetesStoreSettings settings, ILogger? log = null)
    {
        _settings = settings;
        _log = (log ?? Serilog.Log.Logger).ForContext("Component", "kubernetes");
        _client = KubernetesConnection.Open(settings);
    }

    /// <summary>There is no lease: a Node lives until it is deleted. Completes when cancelled.</summary>
    public async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down gives nothing up.
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits <see cref="KubernetesStoreSettings.RetryDelay"/>; false when cancelled meanwhile.</summary>
    private async Task<bool> PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_settings.RetryDelay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
