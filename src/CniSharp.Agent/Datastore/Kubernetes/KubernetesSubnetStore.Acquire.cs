using CniSharp.Ip;
using k8s;
using k8s.Models;

namespace CniSharp.Agent.Datastore.Kubernetes;

internal sealed partial class KubernetesSubnetStore
{
    /// <summary>
    /// Waits until this node's Node exists and has podCIDRs (kubelet registers it, kube-controller-manager then
    /// allocates them, ~1 s apart), publishes <paramref name="self"/> on it and marks its network available.
    /// <paramref name="preferred"/> is ignored: Kubernetes decides the subnets.
    /// </summary>
    public async Task<NodeLease> AcquireAsync(NodeAttributes self, IReadOnlyList<IPPrefix> preferred, CancellationToken cancellationToken)
    {
        V1Node node = await WaitForPodCidrsAsync(self.Node, cancellationToken);
        IReadOnlyList<IPPrefix> subnets = SubnetsOf(node);
        await CallAsync($"publishing annotations on Node {self.Node}", async () =>
        {
            if (NodeAnnotations.Carries(node, self)) return;
            node = await _client.CoreV1.PatchNodeAsync(
                new V1Patch(NodeAnnotations.MergePatch(self), V1Patch.PatchType.MergePatch), self.Node, cancellationToken: cancellationToken);
            _log.Information("Published {Annotations} on Node {Node}",
                NodeAnnotations.For(self).Where(a => a.Value is not null).ToDictionary(), self.Node);
        }, cancellationToken);
        await CallAsync($"setting {NetworkCondition.Type}=False on Node {self.Node}", async () =>
        {
            if (NetworkCondition.IsUp(node)) return;
            await _client.CoreV1.PatchNodeStatusAsync(
                new V1Patch(NetworkCondition.UpPatch(DateTimeOffset.UtcNow), V1Patch.PatchType.StrategicMergePatch),
                self.Node, cancellationToken: cancellationToken);
        }, cancellationToken);
        _log.Information("Node {Node} has pod subnets {Subnets}", self.Node, string.Join(", ", subnets));
        return new NodeLease(self, subnets);
    }

    private static IReadOnlyList<IPPrefix> SubnetsOf(V1Node node)
    {
        try
        {
            return NodeSubnets.Of(node);
        }
        catch (FormatException e)
        {
            throw new SubnetStoreException(e.Message, e);
        }
    }

    /// <summary>The Node once it has podCIDRs: listed, then watched (by name) until they appear.</summary>
    private async Task<V1Node> WaitForPodCidrsAsync(string name, CancellationToken cancellationToken)
    {
        string selector = $"metadata.name={name}";
        bool told = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                V1NodeList list = await _client.CoreV1.ListNodeAsync(fieldSelector: selector, cancellationToken: cancellationToken);
                if (list.Items.FirstOrDefault() is { } listed && SubnetsOf(listed).Count > 0) return listed;
                if (!told)
                {
                    _log.Information(list.Items.Count == 0
                        ? "Waiting for Node {Node} to be registered (by its kubelet) and to get spec.podCIDRs"
                        : "Waiting for Node {Node} to get spec.podCIDRs (kube-controller-manager --allocate-node-cidrs)", name);
                    told = true;
                }
                await foreach (NodeEvent e in NodeWatchStream.ReadAsync(_client, list.Metadata.ResourceVersion, selector, _settings.WatchTimeout, cancellationToken))
                {
                    if (e.Type is NodeEvent.Added or NodeEvent.Modified && SubnetsOf(e.Node).Count > 0) return e.Node;
                }
            }
            catch (Exception e) when (e is WatchExpiredException || ApiErrors.IsGone(e) || ApiErrors.IsTransient(e, cancellationToken))
            {
                if (e is not WatchExpiredException && !ApiErrors.IsGone(e))
                    _log.Warning("Reading Node {Node} failed ({Reason}); retrying", name, ApiErrors.Describe(e));
                if (!await PauseAsync(cancellationToken)) cancellationToken.ThrowIfCancellationRequested();
            }
            catch (Exception e) when (e is not OperationCanceledException and not SubnetStoreException)
            {
                throw ApiErrors.Fail($"reading Node {name}", e);
            }
        }
    }

    /// <summary>Runs one API call, retrying what a retry can cure; anything else becomes a <see cref="SubnetStoreException"/>.</summary>
    private async Task CallAsync(string what, Func<Task> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception e) when (ApiErrors.IsTransient(e, cancellationToken))
            {
                _log.Warning("{What} failed ({Reason}); retrying", what, ApiErrors.Describe(e));
                if (!await PauseAsync(cancellationToken)) cancellationToken.ThrowIfCancellationRequested();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw ApiErrors.Fail(what, e);
            }
        }
    }
}
