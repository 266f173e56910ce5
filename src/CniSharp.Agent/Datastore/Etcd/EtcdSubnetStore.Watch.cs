using System.Threading.Channels;
using Etcdserverpb;
using Grpc.Core;

namespace CniSharp.Agent.Datastore.Etcd;

internal sealed partial class EtcdSubnetStore
{
    public IAsyncEnumerable<IReadOnlyList<NodeLease>> WatchPeersAsync(string selfNode, CancellationToken cancellationToken) =>
        PeerSetChannel.ReadNewestAsync((sets, stop) => PumpPeersAsync(selfNode, sets, stop), cancellationToken);

    /// <summary>List, then watch from the list's revision; on any break (error, compaction) list again.</summary>
    private async Task PumpPeersAsync(string selfNode, ChannelWriter<IReadOnlyList<NodeLease>> sets, CancellationToken cancellationToken)
    {
        IReadOnlyList<NodeLease>? last = null;
        void Publish(Dictionary<string, StoredSubnet> state)
        {
            IReadOnlyList<NodeLease> set = PeerSet.Build(
                state.Values.Select(s => new PeerSet.SubnetRecord(s.Subnet, s.Attributes, s.ModRevision)), selfNode);
            if (last is not null && last.SequenceEqual(set)) return;
            last = set;
            sets.TryWrite(set);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                (List<StoredSubnet> listed, long revision) = await ListAsync(cancellationToken);
                var state = listed.ToDictionary(s => s.Key, StringComparer.Ordinal);
                Publish(state);

                using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call =
                    _client.GetConnection().WatchClient.Watch(cancellationToken: cancellationToken);
                await call.RequestStream.WriteAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest
                    {
                        Key = Utf8(SubnetsDirectory),
                        RangeEnd = PrefixEnd(SubnetsDirectory),
                        StartRevision = revision + 1,
                    },
                }, cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    WatchResponse response = call.ResponseStream.Current;
                    if (response.Canceled || response.CompactRevision != 0)
                    {
                        _log.Warning("Watch ended by etcd ({Reason}); listing again",
                            response.CompactRevision != 0 ? $"revision {revision + 1} compacted" : response.CancelReason);
                        break;
                    }
                    if (response.Events.Count == 0) continue;
                    foreach (Mvccpb.Event e in response.Events)
                    {
                        string key = e.Kv.Key.ToStringUtf8();
                        if (e.Type == Mvccpb.Event.Types.EventType.Delete)
                        {
                            state.Remove(key);
                        }
                        else if (TryRead(e.Kv) is { } stored)
                        {
                            state[key] = stored;
                        }
                        else
                        {
                            state.Remove(key);
                        }
                    }
                    Publish(state);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RpcException or IOException)
            {
                _log.Warning("Watch of {Prefix} failed ({Reason}); listing again in 1s", SubnetsDirectory, e.Message);
                await DelayQuietly(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
        sets.TryComplete();
    }
}
