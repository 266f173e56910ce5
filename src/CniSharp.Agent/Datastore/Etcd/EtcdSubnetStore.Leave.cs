using Etcdserverpb;

namespace CniSharp.Agent.Datastore.Etcd;

internal sealed partial class EtcdSubnetStore
{
    public async Task<bool> LeaveAsync(string node, CancellationToken cancellationToken)
    {
        (List<StoredSubnet> all, _) = await ListAsync(cancellationToken);
        List<StoredSubnet> keys = all.Where(s => s.Attributes.Node == node).ToList();
        // Revoking the lease deletes all of the node's keys in one revision: peers see it depart at once.
        foreach (long lease in keys.Select(s => s.Lease).Where(l => l != 0).Distinct())
        {
            await _client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, deadline: Deadline(), cancellationToken: cancellationToken);
            _log.Information("Revoked lease {Lease:x} of node {Node}", lease, node);
        }
        foreach (StoredSubnet unleased in keys.Where(s => s.Lease == 0))
        {
            await _client.DeleteAsync(unleased.Key, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        return keys.Count > 0;
    }
}
