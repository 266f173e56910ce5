using System.Net;
using System.Text;
using CniSharp.Cni;
using CniSharp.Files;
using CniSharp.Ip;

namespace CniSharp.Ipam.HostLocal;

// STATUS (spec 1.1.0): can an ADD succeed right now?
internal sealed partial class HostLocalIpam
{
    /// <summary>
    /// Throws code 50 (NotAvailable) when the data dir cannot take a reservation or a range set has no free
    /// address: an ADD needs one address from every set, so one exhausted set is enough to fail it.
    /// An invalid configuration throws code 7.
    /// </summary>
    public void Status(NetConf conf)
    {
        IpamConfig config = IpamConfig.Load(conf, cniArgs: null);
        IIpamStore store = _openStore(config);
        IReadOnlyList<IpReservation> reservations = FileErrors.Guard(CniErrorCode.NotAvailable,
            $"host-local: data dir {config.NetworkDir} is unusable", () =>
            {
                using (store.Lock())
                {
                    store.EnsureWritable();
                    return store.List();
                }
            });

        var exhausted = new StringBuilder();
        for (int i = 0; i < config.RangeSets.Count; i++)
        {
            if (!IsExhausted(config.RangeSets[i], reservations)) continue;
            exhausted.Append(exhausted.Length == 0 ? "" : "; ").Append($"range set {i} ({config.RangeSets[i]})");
        }
        if (exhausted.Length > 0)
            throw new CniException(CniErrorCode.NotAvailable,
                $"host-local: no IP addresses available in network \"{config.Name}\": {exhausted}");
    }

    /// <summary>Counts instead of iterating, so a /8 costs as much as a /24.</summary>
    internal static bool IsExhausted(RangeSet set, IReadOnlyList<IpReservation> reservations)
    {
        UInt128 allocatable = UInt128.Zero;
        foreach (Range range in set.Ranges) allocatable += range.AllocatableCount;
        UInt128 used = UInt128.Zero;
        foreach (IpReservation reservation in reservations)
        {
            IPAddress address = reservation.Address;
            if (set.RangeFor(address) is { } range && IPAddressMath.ToInteger(address) != range.GatewayValue) used++;
        }
        return used >= allocatable;
    }
}
