using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CniSharp.Agent.Datastore;

/// <summary>
/// How a store's <see cref="ISubnetStore.WatchPeersAsync"/> hands its watch's results to the agent: its pump
/// (list, watch, list again...) writes whole peer sets into a one-slot channel that drops the older set, so a
/// consumer slower than the events gets only the newest one and bursts coalesce (a node leaving is one change
/// to the agent, however many keys or events it took).
/// </summary>
internal static class PeerSetChannel
{
    /// <summary>Runs <paramref name="pump"/> until the consumer stops or <paramref name="cancellationToken"/> fires.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<NodeLease>> ReadNewestAsync(
        Func<ChannelWriter<IReadOnlyList<NodeLease>>, CancellationToken, Task> pump,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sets = Channel.CreateBounded<IReadOnlyList<NodeLease>>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task running = pump(sets.Writer, stop.Token);
        try
        {
            while (await sets.Reader.WaitToReadAsync(cancellationToken))
            {
                while (sets.Reader.TryRead(out IReadOnlyList<NodeLease>? set)) yield return set;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    /// <summary>
    /// A pump's writer that drops a set equal to the last one it wrote: most watch events (a Node's status, a
    /// key rewritten with the same value) change nothing the agent acts on.
    /// </summary>
    public sealed class ChangesOnly(ChannelWriter<IReadOnlyList<NodeLease>> sets)
    {
        private IReadOnlyList<NodeLease>? _last;

        public void Write(IReadOnlyList<NodeLease> set)
        {
            if (_last is not null && _last.SequenceEqual(set)) return;
            _last = set;
            sets.TryWrite(set);
        }
    }
}
