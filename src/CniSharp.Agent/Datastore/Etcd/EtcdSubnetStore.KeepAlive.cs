using Etcdserverpb;
using Grpc.Core;

namespace CniSharp.Agent.Datastore.Etcd;

internal sealed partial class EtcdSubnetStore
{
    public async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        if (_leaseId == 0) throw new InvalidOperationException("KeepAliveAsync before AcquireAsync");
        // A third of the TTL: two keep-alives can be lost before the lease is in danger.
        TimeSpan interval = TimeSpan.FromTicks(Math.Max(_settings.LeaseTtl.Ticks / 3, TimeSpan.TicksPerSecond));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call =
                    _client.GetConnection().LeaseClient.LeaseKeepAlive(cancellationToken: cancellationToken);
                while (true)
                {
                    await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = _leaseId }, cancellationToken);
                    using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    answer.CancelAfter(_settings.CallTimeout);
                    if (!await call.ResponseStream.MoveNext(answer.Token)) break;
                    // TTL 0: etcd no longer knows the lease (expired while we could not reach it, or revoked).
                    if (call.ResponseStream.Current.TTL <= 0)
                        throw new SubnetLeaseLostException($"etcd lease {_leaseId:x} expired or was revoked");
                    await Task.Delay(interval, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException or IOException)
            {
                _log.Warning("Lease keep-alive failed ({Reason}); retrying", e.Message);
                await DelayQuietly(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The caller's loop sees the cancellation.
        }
    }
}
