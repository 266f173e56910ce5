using System.Net;
using CniSharp.Cni;
using CniSharp.Ip;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// Allocates one address from one range set (the reference's allocator.Get). The caller holds the store
/// lock, so this reads as a plain in-memory algorithm.
/// </summary>
internal sealed class IpAllocator(RangeSet set, IIpamStore store, int rangeSetIndex)
{
    public RangeSet Set { get; } = set;

    public int RangeSetIndex { get; } = rangeSetIndex;

    /// <summary>Reserves <paramref name="requested"/> when given, else the next free address round-robin.</summary>
    public CniIPConfig Get(string id, string ifName, IPAddress? requested) =>
        requested is null ? GetNext(id, ifName) : GetRequested(id, ifName, IPAddressMath.Canonical(requested));

    private CniIPConfig GetRequested(string id, string ifName, IPAddress requested)
    {
        Range range = Set.RangeFor(requested)
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, $"{IpText.Format(requested)} not in range set {Set}");
        if (requested.Equals(range.Gateway))
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"requested ip {IpText.Format(requested)} is subnet's gateway");
        if (!store.Reserve(id, ifName, requested, RangeSetIndex))
            throw new CniException(CniErrorCode.Internal,
                $"requested IP address {IpText.Format(requested)} is not available in range set {Set}");
        return Result(requested, range);
    }

    private CniIPConfig GetNext(string id, string ifName)
    {
        // SPEC: a runtime must not ADD the same attachment twice without DEL, so an existing reservation in
        // this set is an error, not a result to repeat (plugins#327).
        foreach (IPAddress held in store.GetByID(id, ifName))
            if (Set.Contains(held))
                throw new CniException(CniErrorCode.Internal,
                    $"{IpText.Format(held)} has been allocated to {id}, duplicate allocation is not allowed");

        var iterator = new RangeIterator(Set, store.LastReservedIP(RangeSetIndex));
        while (iterator.TryNext(out IPAddress candidate, out Range range))
            if (store.Reserve(id, ifName, candidate, RangeSetIndex))
                return Result(candidate, range);

        throw new CniException(CniErrorCode.TryAgainLater, $"no IP addresses available in range set: {Set}");
    }

    private static CniIPConfig Result(IPAddress address, Range range) =>
        new() { Address = new IPPrefix(address, range.Subnet.PrefixLength), Gateway = range.Gateway };
}
