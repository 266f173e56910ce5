using System.Net.Sockets;
using CniSharp.Ip;

namespace CniSharp.Agent.Datastore;

/// <summary>
/// Which subnet of a cluster CIDR a node tries next. Candidates start at an offset derived from the node name
/// (so nodes starting together mostly try different subnets and the compare-and-swap rarely loses), wrap
/// around, and skip the ones already taken. The first subnet (the CIDR's own network address) is kept last,
/// since its ".0" would be a network address many tools find confusing.
/// </summary>
internal static class SubnetAllocator
{
    public static IEnumerable<IPPrefix> Candidates(IPPrefix clusterCidr, int subnetLength, string nodeName, IReadOnlySet<IPPrefix> taken)
    {
        int extraBits = subnetLength - clusterCidr.PrefixLength;
        // Enumerating 2^64 IPv6 subnets is pointless: the first 2^20 are plenty to find a free one.
        UInt128 count = extraBits >= 20 ? (UInt128)1 << 20 : (UInt128)1 << extraBits;
        if (count == 1)
        {
            if (!taken.Contains(clusterCidr)) yield return clusterCidr;
            yield break;
        }
        UInt128 start = 1 + (UInt128)(StableHash(nodeName) % (ulong)(count - 1));
        int hostBits = clusterCidr.MaxPrefixLength - subnetLength;
        UInt128 baseValue = IPAddressMath.ToInteger(clusterCidr.Address);
        AddressFamily family = clusterCidr.Family;
        for (UInt128 i = 0; i < count - 1; i++)
        {
            UInt128 index = 1 + (start - 1 + i) % (count - 1);
            var subnet = new IPPrefix(IPAddressMath.FromInteger(baseValue + (index << hostBits), family), subnetLength);
            if (!taken.Contains(subnet)) yield return subnet;
        }
        if (!taken.Contains(new IPPrefix(clusterCidr.Address, subnetLength)))
            yield return new IPPrefix(clusterCidr.Address, subnetLength);
    }

    /// <summary>FNV-1a over the UTF-16 name: stable across processes (string.GetHashCode is randomised).</summary>
    private static ulong StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
