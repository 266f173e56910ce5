using CniSharp.Ip;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Serilog;

namespace CniSharp.Agent.Datastore.Etcd;

/// <summary>
/// <see cref="ISubnetStore"/> on etcd v3 (dotnet-etcd). One key per node subnet,
/// <c>&lt;prefix&gt;/subnets/&lt;ip&gt;-&lt;len&gt;</c> (see <see cref="SubnetKey"/>, <see cref="SubnetValue"/>), all of a
/// node's keys on one lease: when the lease expires or is revoked every key goes in the same revision and
/// every peer's watch sees the node depart.
/// </summary>
internal sealed partial class EtcdSubnetStore : ISubnetStore
{
    private readonly EtcdStoreSettings _settings;
    private readonly EtcdClient _client;
    private readonly ILogger _log;
    private long _leaseId;

    public EtcdSubnetStore(EtcdStoreSettings settings, ILogger? log = null)
    {
        _settings = settings;
        _log = (log ?? Serilog.Log.Logger).ForContext("Component", "etcd");
        // dotnet-etcd takes "http://a:2379,http://b:2379" and balances over the endpoints.
        _client = new EtcdClient(string.Join(',', settings.Endpoints));
    }

    /// <summary>The lease this node's keys are on (0 before <see cref="AcquireAsync"/>).</summary>
    public long LeaseId => _leaseId;

    public ValueTask DisposeAsync()
    {
        // Closing the channel gives nothing up: the lease lives on until its TTL unless revoked.
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private DateTime Deadline() => DateTime.UtcNow + _settings.CallTimeout;

    private string SubnetsDirectory => SubnetKey.Directory(_settings.Prefix);

    /// <summary>One stored subnet key as read: what it says and the etcd metadata the CAS needs.</summary>
    private sealed record StoredSubnet(string Key, IPPrefix Subnet, NodeAttributes Attributes, ByteString Value,
        long Lease, long CreateRevision, long ModRevision);

    /// <summary>Every subnet key under the prefix, and the revision the list was read at.</summary>
    private async Task<(List<StoredSubnet> Subnets, long Revision)> ListAsync(CancellationToken cancellationToken)
    {
        RangeResponse range = await _client.GetRangeAsync(SubnetsDirectory, deadline: Deadline(), cancellationToken: cancellationToken);
        var subnets = new List<StoredSubnet>(range.Kvs.Count);
        foreach (Mvccpb.KeyValue kv in range.Kvs)
        {
            if (TryRead(kv) is { } stored) subnets.Add(stored);
        }
        return (subnets, range.Header.Revision);
    }

    private StoredSubnet? TryRead(Mvccpb.KeyValue kv)
    {
        string key = kv.Key.ToStringUtf8();
        if (!SubnetKey.TryParse(_settings.Prefix, key, out IPPrefix? subnet))
        {
            _log.Debug("Ignoring key {Key}: not <ip>-<len>", key);
            return null;
        }
        NodeAttributes? attributes = SubnetValue.TryParse(kv.Value.Span, out string? error);
        if (attributes is null)
        {
            _log.Warning("Ignoring subnet key {Key}: {Reason}", key, error);
            return null;
        }
        return new StoredSubnet(key, subnet.Value, attributes, kv.Value, kv.Lease, kv.CreateRevision, kv.ModRevision);
    }

    private static ByteString Utf8(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>The key just past every key starting with <paramref name="prefix"/> (etcd's "range_end" for a prefix).</summary>
    private static ByteString PrefixEnd(string prefix)
    {
        byte[] end = System.Text.Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        return ByteString.CopyFrom(end);
    }
}
