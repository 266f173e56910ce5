using System.Net;
using System.Net.Sockets;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// A pool of disjoint ranges of one family. Each set yields exactly one address per ADD, so one IPv4 set and
/// one IPv6 set give a dual-stack attachment.
/// </summary>
internal sealed class RangeSet(IReadOnlyList<Range> ranges)
{
    public IReadOnlyList<Range> Ranges { get; } = ranges;

    public int Count => Ranges.Count;

    public Range this[int index] => Ranges[index];

    public AddressFamily Family => Ranges[0].Family;

    public void Canonicalize()
    {
        if (Ranges.Count == 0)
            throw new RangeException("empty range set");
        foreach (Range range in Ranges)
            range.Canonicalize();
        for (int i = 1; i < Ranges.Count; i++)
            if (Ranges[i].Family != Ranges[0].Family)
                throw new RangeException("mixed address families");
        for (int i = 0; i < Ranges.Count; i++)
            for (int j = i + 1; j < Ranges.Count; j++)
                if (Ranges[i].Overlaps(Ranges[j]))
                    throw new RangeException($"subnets {Ranges[i]} and {Ranges[j]} overlap");
    }

    public bool Contains(IPAddress address) => RangeFor(address) is not null;

    /// <summary>The range holding the address, or null.</summary>
    public Range? RangeFor(IPAddress address)
    {
        foreach (Range range in Ranges)
            if (range.Contains(address))
                return range;
        return null;
    }

    public bool Overlaps(RangeSet other)
    {
        foreach (Range mine in Ranges)
            foreach (Range theirs in other.Ranges)
                if (mine.Overlaps(theirs))
                    return true;
        return false;
    }

    /// <summary>"10.1.0.1-10.1.0.254,10.2.0.1-10.2.0.254", as the reference prints a set in its errors.</summary>
    public override string ToString() => string.Join(",", Ranges);
}
