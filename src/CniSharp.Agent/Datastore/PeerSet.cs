using CniSharp.Ip;

namespace CniSharp.Agent.Datastore;

/// <summary>
/// Folds per-subnet records (etcd keys, one node possibly holding an IPv4 and an IPv6 subnet) into one
/// <see cref="NodeLease"/> per node, in a stable order (by node name, subnets IPv4 first).
/// </summary>
internal static class PeerSet
{
    public readonly record struct SubnetRecord(IPPrefix Subnet, NodeAttributes Attributes, long ModRevision);

    public static IReadOnlyList<NodeLease> Build(IEnumerable<SubnetRecord> records, string? excludeNode)
    {
        return records
            .Where(r => r.Attributes.Node != excludeNode)
            .GroupBy(r => r.Attributes.Node, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new NodeLease(
                // The newest write wins when a node's keys disagree (mid-update).
                g.MaxBy(r => r.ModRevision).Attributes,
                g.Select(r => r.Subnet).OrderBy(s => s.IsIPv4 ? 0 : 1).ThenBy(s => s.Address, IPAddressComparer.Instance).ToList()))
            .ToList();
    }

    private sealed class IPAddressComparer : IComparer<System.Net.IPAddress>
    {
        public static readonly IPAddressComparer Instance = new();

        public int Compare(System.Net.IPAddress? x, System.Net.IPAddress? y) => IPAddressMath.Compare(x!, y!);
    }
}
