using System.Net;
using CniSharp.Ip;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// Walks every allocatable address of a range set exactly once, round-robin: from lastReserved+1 in the range
/// that holds lastReserved (or from the first RangeStart), advancing +1, jumping to the next range's start at
/// each RangeEnd and wrapping around, skipping gateways. The last-reserved address itself comes last, so "a
/// crash-looping container will not see the same IP until the entire range has been run through" (reference).
/// </summary>
internal sealed class RangeIterator
{
    private readonly RangeSet _set;
    private int _rangeIndex;
    private UInt128? _current;
    private UInt128? _first;

    public RangeIterator(RangeSet set, IPAddress? lastReserved)
    {
        _set = set;
        if (lastReserved is null) return;
        for (int i = 0; i < set.Count; i++)
        {
            if (!set[i].Contains(lastReserved)) continue;
            _rangeIndex = i;
            // Next() advances before returning, so the first candidate is lastReserved+1.
            _current = IPAddressMath.ToInteger(IPAddressMath.Canonical(lastReserved));
            return;
        }
    }

    /// <summary>The next candidate and its range, or false once every address has been offered.</summary>
    public bool TryNext(out IPAddress address, out Range range)
    {
        while (true)
        {
            range = _set[_rangeIndex];
            if (_current is null)
            {
                _current = range.Start;
                _first = range.Start;
            }
            else
            {
                if (_current.Value == range.End)
                {
                    _rangeIndex = (_rangeIndex + 1) % _set.Count;
                    range = _set[_rangeIndex];
                    _current = range.Start;
                }
                else
                {
                    _current = _current.Value + 1;
                }

                if (_first is null) _first = _current;
                else if (_current.Value == _first.Value)
                {
                    address = IPAddress.None;
                    return false;
                }
            }

            if (_current.Value == range.GatewayValue) continue;
            address = IPAddressMath.FromInteger(_current.Value, range.Family);
            return true;
        }
    }
}
