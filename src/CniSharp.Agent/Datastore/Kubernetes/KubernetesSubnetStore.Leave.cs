using k8s;
using k8s.Models;

namespace CniSharp.Agent.Datastore.Kubernetes;

internal sealed partial class KubernetesSubnetStore
{
    /// <summary>
    /// Removes the node's annotations: every peer then drops its routes, while the Node itself (kubelet's) stays.
    /// False when the Node does not exist or carries none of them.
    /// </summary>
    public async Task<bool> LeaveAsync(string node, CancellationToken cancellationToken)
    {
        V1Node current;
        try
        {
            current = await _client.CoreV1.ReadNodeAsync(node, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw ApiErrors.Fail($"reading Node {node}", e);
        }
        if (!NodeAnnotations.Any(current)) return false;
        await CallAsync($"removing the annotations of Node {node}", () =>
            _client.CoreV1.PatchNodeAsync(new V1Patch(NodeAnnotations.RemovalPatch(), V1Patch.PatchType.MergePatch), node,
                cancellationToken: cancellationToken), cancellationToken);
        return true;
    }
}
