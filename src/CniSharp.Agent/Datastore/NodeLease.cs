using CniSharp.Ip;

namespace CniSharp.Agent.Datastore;

/// <summary>
/// A node as the datastore knows it: its published attributes and the pod subnets it holds (one per address
/// family in practice: an IPv4 and/or an IPv6 network prefix, host bits zero).
/// </summary>
internal sealed record NodeLease(NodeAttributes Attributes, IReadOnlyList<IPPrefix> Subnets)
{
    public string Node => Attributes.Node;

    public bool Equals(NodeLease? other) =>
        other is not null && Attributes.Equals(other.Attributes) && Subnets.SequenceEqual(other.Subnets);

    public override int GetHashCode() => HashCode.Combine(Attributes, Subnets.Count);
}
