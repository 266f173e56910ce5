using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Fakes;

/// <summary>An in-memory datastore: the test hands out the lease, pushes peer sets, and can take the lease away.</summary>
internal sealed class FakeSubnetStore(IReadOnlyList<IPPrefix> subnets) : ISubnetStore
{
    private readonly Channel<IReadOnlyList<NodeLease>> _peers = Channel.CreateUnbounded<IReadOnlyList<NodeLease>>();
    private TaskCompletionSource _lease = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<IReadOnlyList<IPPrefix>> AcquireCalls { get; } = [];

    public Task<NodeLease> AcquireAsync(NodeAttributes self, IReadOnlyList<IPPrefix> preferred, CancellationToken cancellationToken)
    {
        lock (AcquireCalls) AcquireCalls.Add(preferred);
        return Task.FromResult(new NodeLease(self, subnets));
    }

    public async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource lease = _lease;
        await using (cancellationToken.Register(() => lease.TrySetResult()))
        {
            await lease.Task;
        }
    }

    /// <summary>The datastore forgets the lease: the running KeepAliveAsync throws <see cref="SubnetLeaseLostException"/>.</summary>
    public void LoseLease()
    {
        TaskCompletionSource lost = _lease;
        _lease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lost.TrySetException(new SubnetLeaseLostException("test took the lease"));
    }

    public void PublishPeers(params NodeLease[] peers) => _peers.Writer.TryWrite(peers);

    public async IAsyncEnumerable<IReadOnlyList<NodeLease>> WatchPeersAsync(string selfNode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _peers.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_peers.Reader.TryRead(out IReadOnlyList<NodeLease>? set)) yield return set;
        }
    }

    public Task<bool> LeaveAsync(string node, CancellationToken cancellationToken) => Task.FromResult(false);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
