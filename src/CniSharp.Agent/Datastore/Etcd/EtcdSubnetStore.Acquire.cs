using CniSharp.Ip;
using Etcdserverpb;
using Google.Protobuf;

namespace CniSharp.Agent.Datastore.Etcd;

internal sealed partial class EtcdSubnetStore
{
    public async Task<NodeLease> AcquireAsync(NodeAttributes self, IReadOnlyList<IPPrefix> preferred, CancellationToken cancellationToken)
    {
        if (_settings.ClusterCidrs.Count == 0)
            throw new SubnetStoreException("the etcd datastore needs --cluster-cidr to lease subnets from");

        // A lost compare-and-swap (another node took the subnet between our list and our txn) just means: list
        // again and try the next candidate. Bounded, so a pathological datastore cannot spin us forever.
        for (int attempt = 0; ; attempt++)
        {
            (List<StoredSubnet> all, _) = await ListAsync(cancellationToken);
            List<StoredSubnet> mine = all.Where(s => s.Attributes.Node == self.Node).ToList();
            long lease = await AdoptOrGrantLeaseAsync(mine, cancellationToken);
            ByteString value = Utf8(SubnetValue.Serialize(self));
            var held = new List<IPPrefix>();
            bool lostRace = false;
            foreach (IPPrefix cidr in _settings.ClusterCidrs)
            {
                IPPrefix? subnet = await AcquireInAsync(cidr, self, value, lease, mine, all, preferred, cancellationToken);
                if (subnet is null)
                {
                    lostRace = true;
                    break;
                }
                held.Add(subnet.Value);
            }
            if (!lostRace)
            {
                await DropStaleAsync(mine, held, cancellationToken);
                _log.Information("Holding {Subnets} on lease {Lease:x} (TTL {Ttl}s)",
                    string.Join(", ", held), lease, (long)_settings.LeaseTtl.TotalSeconds);
                return new NodeLease(self, held);
            }
            if (attempt >= 16) throw new SubnetStoreException($"could not lease a subnet after {attempt + 1} attempts: other nodes keep taking the candidates");
        }
    }

    /// <summary>
    /// Keeps the lease this node's keys are already on when it is still alive (a restart within the TTL changes
    /// nothing peers see), otherwise grants a new one.
    /// </summary>
    private async Task<long> AdoptOrGrantLeaseAsync(List<StoredSubnet> mine, CancellationToken cancellationToken)
    {
        if (_leaseId != 0 && await TimeToLiveAsync(_leaseId, cancellationToken) > 0) return _leaseId;
        foreach (long existing in mine.Select(s => s.Lease).Where(l => l != 0).Distinct())
        {
            if (await TimeToLiveAsync(existing, cancellationToken) > 0)
            {
                _log.Information("Adopting lease {Lease:x} of this node's existing subnet keys", existing);
                return _leaseId = existing;
            }
        }
        LeaseGrantResponse grant = await _client.LeaseGrantAsync(
            new LeaseGrantRequest { TTL = (long)_settings.LeaseTtl.TotalSeconds }, deadline: Deadline(), cancellationToken: cancellationToken);
        if (!string.IsNullOrEmpty(grant.Error)) throw new SubnetStoreException($"etcd refused a lease: {grant.Error}");
        _log.Information("Granted lease {Lease:x} (TTL {Ttl}s)", grant.ID, grant.TTL);
        return _leaseId = grant.ID;
    }

    private async Task<long> TimeToLiveAsync(long lease, CancellationToken cancellationToken)
    {
        LeaseTimeToLiveResponse ttl = await _client.LeaseTimeToLiveAsync(
            new LeaseTimeToLiveRequest { ID = lease }, deadline: Deadline(), cancellationToken: cancellationToken);
        return ttl.TTL;
    }

    /// <summary>
    /// This node's subnet in one cluster CIDR: the one a key already names it for (rewritten onto the current
    /// lease and attributes if needed), else the first free candidate won by compare-and-swap. Null: a race was
    /// lost, list again.
    /// </summary>
    private async Task<IPPrefix?> AcquireInAsync(IPPrefix cidr, NodeAttributes self, ByteString value, long lease,
        List<StoredSubnet> mine, List<StoredSubnet> all, IReadOnlyList<IPPrefix> preferred, CancellationToken cancellationToken)
    {
        int size = _settings.SubnetSize(cidr);
        StoredSubnet? existing = mine
            .Where(s => s.Subnet.PrefixLength == size && cidr.Contains(s.Subnet.Address))
            .OrderBy(s => s.Lease == lease ? 0 : 1).ThenBy(s => s.CreateRevision)
            .FirstOrDefault();
        if (existing is not null)
        {
            if (existing.Lease == lease && existing.Value.Equals(value)) return existing.Subnet;
            // Same key instance (create_revision unchanged) or nothing: never overwrite a key someone re-created.
            bool rewritten = await TxnPutAsync(existing.Key, value, lease, createRevision: existing.CreateRevision, cancellationToken);
            if (rewritten) _log.Information("Re-acquired {Subnet}", existing.Subnet);
            return rewritten ? existing.Subnet : null;
        }

        var taken = all.Select(s => s.Subnet).ToHashSet();
        IEnumerable<IPPrefix> candidates = preferred
            .Where(p => p.PrefixLength == size && cidr.Contains(p.Address) && !taken.Contains(p))
            .Concat(SubnetAllocator.Candidates(cidr, size, self.Node, taken));
        int tried = 0;
        foreach (IPPrefix candidate in candidates)
        {
            if (await TxnPutAsync(SubnetKey.For(_settings.Prefix, candidate), value, lease, createRevision: 0, cancellationToken))
            {
                _log.Information("Leased {Subnet} from {ClusterCidr}", candidate, cidr);
                return candidate;
            }
            // Taken meanwhile: the list is stale; after a few misses list again rather than walk it blind.
            if (++tried >= 4) return null;
        }
        throw new SubnetStoreException($"cluster CIDR {cidr} has no free /{size} subnet left ({taken.Count(t => cidr.Contains(t.Address))} taken)");
    }

    /// <summary>put key=value on the lease if and only if the key's create_revision is <paramref name="createRevision"/> (0: absent).</summary>
    private async Task<bool> TxnPutAsync(string key, ByteString value, long lease, long createRevision, CancellationToken cancellationToken)
    {
        ByteString k = Utf8(key);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = k,
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Equal,
            CreateRevision = createRevision,
        });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = k, Value = value, Lease = lease } });
        TxnResponse response = await _client.TransactionAsync(txn, deadline: Deadline(), cancellationToken: cancellationToken);
        return response.Succeeded;
    }

    /// <summary>Keys that name this node but are not among what it now holds (old subnet size, removed cluster CIDR).</summary>
    private async Task DropStaleAsync(List<StoredSubnet> mine, List<IPPrefix> held, CancellationToken cancellationToken)
    {
        foreach (StoredSubnet stale in mine.Where(s => !held.Contains(s.Subnet)))
        {
            var txn = new TxnRequest();
            txn.Compare.Add(new Compare
            {
                Key = Utf8(stale.Key),
                Target = Compare.Types.CompareTarget.Mod,
                Result = Compare.Types.CompareResult.Equal,
                ModRevision = stale.ModRevision,
            });
            txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Utf8(stale.Key) } });
            await _client.TransactionAsync(txn, deadline: Deadline(), cancellationToken: cancellationToken);
            _log.Information("Released stale subnet {Subnet}", stale.Subnet);
        }
    }
}
