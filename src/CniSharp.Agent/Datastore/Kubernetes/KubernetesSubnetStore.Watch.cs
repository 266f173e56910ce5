using System.Threading.Channels;
using CniSharp.Ip;
using k8s;
using k8s.Models;

namespace CniSharp.Agent.Datastore.Kubernetes;

internal sealed partial class KubernetesSubnetStore
{
    public IAsyncEnumerable<IReadOnlyList<NodeLease>> WatchPeersAsync(string selfNode, CancellationToken cancellationToken) =>
        PeerSetChannel.ReadNewestAsync((sets, stop) => PumpPeersAsync(selfNode, sets, stop), cancellationToken);

    /// <summary>
    /// List the Nodes, then watch from the list's resourceVersion, resuming after each server-side timeout from
    /// the last one seen (bookmarks keep it fresh); list again after an error or a 410 Gone.
    /// </summary>
    private async Task PumpPeersAsync(string selfNode, ChannelWriter<IReadOnlyList<NodeLease>> sets, CancellationToken cancellationToken)
    {
        var changes = new PeerSetChannel.ChangesOnly(sets);
        var peers = new Dictionary<string, NodeLease>(StringComparer.Ordinal);
        void Publish() => changes.Write(PeerSet.Build(
            peers.Values.SelectMany(p => p.Subnets.Select(s => new PeerSet.SubnetRecord(s, p.Attributes, 0))), selfNode));

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                V1NodeList list = await _client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
                // A relist replaces the whole set; only what changed since the last one is logged.
                var listed = new Dictionary<string, NodeLease>(StringComparer.Ordinal);
                foreach (V1Node node in list.Items) Apply(listed, node, selfNode, peers);
                foreach (string gone in peers.Keys.Except(listed.Keys))
                    _log.Information("Node {Peer} is gone: it leaves the pod network", gone);
                peers = listed;
                Publish();
                string resourceVersion = list.Metadata.ResourceVersion;
                while (!cancellationToken.IsCancellationRequested)
                {
                    await foreach (NodeEvent e in NodeWatchStream.ReadAsync(_client, resourceVersion, null, _settings.WatchTimeout, cancellationToken))
                    {
                        resourceVersion = e.Node.Metadata.ResourceVersion;
                        switch (e.Type)
                        {
                            case NodeEvent.Added or NodeEvent.Modified:
                                Apply(peers, e.Node, selfNode, peers);
                                break;
                            case NodeEvent.Deleted:
                                if (peers.Remove(e.Node.Metadata.Name))
                                    _log.Information("Node {Peer} deleted: it leaves the pod network", e.Node.Metadata.Name);
                                break;
                        }
                        if (e.Type != NodeEvent.Bookmark) Publish();
                    }
                    _log.Debug("Node watch ended by the server; resuming from resourceVersion {ResourceVersion}", resourceVersion);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is WatchExpiredException || ApiErrors.IsGone(e))
            {
                _log.Information("Node watch expired ({Reason}); listing again", e.Message);
            }
            catch (Exception e) when (ApiErrors.IsTransient(e, cancellationToken) || ApiErrors.IsPermanent(e))
            {
                // Permanent errors too: the peer set is the dataplane's input, the watch must not end while the
                // agent runs; the warning (and the operator's RBAC fix) is what helps.
                _log.Warning("Node watch failed ({Reason}); listing again in {Delay}", ApiErrors.Describe(e), _settings.RetryDelay);
                await PauseAsync(cancellationToken);
            }
        }
        sets.TryComplete();
    }

    /// <summary>
    /// Records (or forgets) one Node as a peer in <paramref name="peers"/>: it counts once it has podCIDRs and has
    /// published its attributes. Changes against <paramref name="known"/> are logged.
    /// </summary>
    private void Apply(Dictionary<string, NodeLease> peers, V1Node node, string selfNode, Dictionary<string, NodeLease> known)
    {
        string name = node.Metadata.Name;
        if (name == selfNode) return;
        NodeAttributes? attributes = NodeAnnotations.TryRead(node, out string? error);
        IReadOnlyList<IPPrefix> subnets;
        try
        {
            subnets = NodeSubnets.Of(node);
        }
        catch (FormatException e)
        {
            error = e.Message;
            subnets = [];
        }
        if (attributes is null || subnets.Count == 0)
        {
            if (error is not null) _log.Warning("Ignoring Node {Peer}: {Reason}", name, error);
            else _log.Debug("Node {Peer} is not in the pod network yet (no podCIDRs or no {Annotation})", name, NodeAnnotations.Backend);
            // (known may be peers itself: ask before removing)
            if (known.ContainsKey(name)) _log.Information("Node {Peer} left the pod network", name);
            peers.Remove(name);
            return;
        }
        var lease = new NodeLease(attributes, subnets);
        if (!known.TryGetValue(name, out NodeLease? before) || !before.Equals(lease))
            _log.Information("Peer {Peer}: {Subnets} via {Via} ({Backend})", name, string.Join(", ", subnets),
                string.Join(", ", new[] { attributes.PublicIP, attributes.PublicIPv6 }.OfType<System.Net.IPAddress>()),
                attributes.Backend.Name());
        peers[name] = lease;
    }
}
