using System.Net;
using System.Net.Sockets;
using CniSharp.Ip;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// CIDRs as the elements of an interval set (one key, not concatenated): merged first, since the kernel
/// refuses overlapping ranges, then each range as its first address and, flagged interval-end, the address
/// after its last — the layout nft sends: led by an interval-end at the zero address when the first range
/// starts above it, and a range reaching the top of the family marked "open" instead of ended.
/// </summary>
internal static class IntervalElements
{
    public static List<NftElement> Of(IEnumerable<IPPrefix> cidrs, AddressFamily family)
    {
        UInt128 top = family == AddressFamily.InterNetwork ? uint.MaxValue : UInt128.MaxValue;
        var ranges = cidrs.Where(c => c.Family == family)
            .Select(c => (First: IPAddressMath.ToInteger(c.Network.Address), Last: IPAddressMath.ToInteger(IPAddressMath.LastAddress(c.Network))))
            .OrderBy(r => r.First)
            .ToList();
        var merged = new List<(UInt128 First, UInt128 Last)>();
        foreach (var range in ranges)
        {
            // Overlapping or adjacent: one range (adjacent would also be accepted, but one is tidier).
            if (merged.Count > 0 && (merged[^1].Last == top || range.First <= merged[^1].Last + 1))
            {
                if (range.Last > merged[^1].Last) merged[^1] = (merged[^1].First, range.Last);
                continue;
            }
            merged.Add(range);
        }
        var elements = new List<NftElement>(merged.Count * 2 + 1);
        if (merged.Count > 0 && merged[0].First != 0)
            elements.Add(new NftElement(Key(0, family)) { Flags = NftSetElemFlags.IntervalEnd });
        foreach ((UInt128 first, UInt128 last) in merged)
        {
            if (last == top)
            {
                elements.Add(new NftElement(Key(first, family)) { IntervalOpen = true });
                continue;
            }
            elements.Add(new NftElement(Key(first, family)));
            elements.Add(new NftElement(Key(last + 1, family)) { Flags = NftSetElemFlags.IntervalEnd });
        }
        return elements;
    }

    /// <summary>The same range boundaries (keys and interval-end flags), in whatever order the kernel lists them.</summary>
    public static bool Same(List<NftElement> current, List<NftElement> wanted)
    {
        static string Boundary(NftElement e) => Convert.ToHexString(e.Key) + ((e.Flags & NftSetElemFlags.IntervalEnd) != 0 ? "/end" : "");
        return current.Select(Boundary).Order(StringComparer.Ordinal).SequenceEqual(wanted.Select(Boundary).Order(StringComparer.Ordinal));
    }

    private static byte[] Key(UInt128 value, AddressFamily family) =>
        NftKey.Address(IPAddressMath.FromInteger(value, family));
}
