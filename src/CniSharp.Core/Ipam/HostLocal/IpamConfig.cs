using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// The host-local "ipam" section, loaded and validated as the reference's LoadIPAMConfig does: range sets
/// in order runtimeConfig.ipRanges, then the legacy top-level range, then "ranges"; requested addresses from
/// CNI_ARGS IP=, args.cni.ips and runtimeConfig.ips, all accumulated. Every failure is code 7.
/// </summary>
internal sealed partial class IpamConfig
{
    public required string Name { get; init; }

    public required string CniVersion { get; init; }

    /// <summary>The state root ("dataDir"), /var/lib/cni/networks unless configured.</summary>
    public required string DataDir { get; init; }

    /// <summary>Where this network's reservations live: &lt;dataDir&gt;/&lt;name&gt;.</summary>
    public string NetworkDir => Path.Join(DataDir, Name);

    /// <summary>One address is allocated from each set, in this order.</summary>
    public required IReadOnlyList<RangeSet> RangeSets { get; init; }

    /// <summary>Returned verbatim in the result.</summary>
    public required IReadOnlyList<CniRoute> Routes { get; init; }

    public string? ResolvConf { get; init; }

    /// <summary>Requested addresses, canonical and de-duplicated, in the order their sources are read.</summary>
    public required IReadOnlyList<IPAddress> RequestedIPs { get; init; }

    public static IpamConfig Load(IpamRequest request) => Load(request.Conf, request.Args.Args);

    public static IpamConfig Load(NetConf conf, string? cniArgs)
    {
        if (conf.Ipam is not { ValueKind: JsonValueKind.Object } ipam)
            throw Invalid("IPAM config missing 'ipam' key");
        string name = ValidateName(conf.Name);

        List<IPAddress> requested = ReadRequestedIPs(conf, cniArgs);

        var sets = new List<RangeSet>();
        if (conf.RuntimeConfigIpRanges() is { } runtimeRanges)
            sets.AddRange(ReadRangeSets(runtimeRanges, "runtimeConfig.ipRanges"));
        if (ReadLegacyRange(ipam) is { } legacy)
            sets.Add(new RangeSet([legacy]));
        if (Property(ipam, "ranges") is { } ranges)
            sets.AddRange(ReadRangeSets(ranges, "ipam.ranges"));
        ValidateRangeSets(sets, conf.EffectiveVersion);
        ValidateRequestedFit(requested, sets);

        return new IpamConfig
        {
            Name = name,
            CniVersion = conf.EffectiveVersion,
            DataDir = String(ipam, "dataDir", "ipam") is { Length: > 0 } dir ? dir : DiskStore.DefaultDataDir,
            RangeSets = sets,
            Routes = ReadRoutes(ipam),
            ResolvConf = String(ipam, "resolvConf", "ipam") is { Length: > 0 } resolv ? resolv : null,
            RequestedIPs = requested,
        };
    }


    private static string ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw Invalid("host-local: missing network name");
        // The network name becomes a directory under dataDir: the spec's name rule keeps ".." and "a/b" out.
        if (!CniEnvironment.IsValidIdentifier(name))
            throw Invalid($"host-local: invalid network name \"{name}\": it must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
        return name;
    }

    private static void ValidateRangeSets(List<RangeSet> sets, string cniVersion)
    {
        if (sets.Count == 0)
            throw Invalid("no IP ranges specified");
        int v4 = 0, v6 = 0;
        for (int i = 0; i < sets.Count; i++)
        {
            try
            {
                sets[i].Canonicalize();
            }
            catch (RangeException ex)
            {
                throw Invalid($"invalid range set {i}: {ex.Message}");
            }
            if (sets[i].Family == AddressFamily.InterNetwork) v4++;
            else v6++;
        }
        // Results before 0.3.0 carry one ip4 and one ip6 block only.
        if ((v4 > 1 || v6 > 1) && !CniVersions.AtLeast(cniVersion, "0.3.0"))
            throw Invalid($"CNI version {cniVersion} does not support more than 1 address per family");
        for (int i = 0; i < sets.Count; i++)
            for (int j = i + 1; j < sets.Count; j++)
                if (sets[i].Overlaps(sets[j]))
                    throw Invalid($"range set {i} overlaps with {j}");
    }

    /// <summary>
    /// Each range set takes the first requested address it contains, in order, as the allocator does; one left
    /// over can never be allocated. Refusing here, before anything is reserved, keeps a doomed ADD from moving
    /// the sets' round-robin cursors (last_reserved_ip) as the reference does on its way to the same error.
    /// </summary>
    private static void ValidateRequestedFit(List<IPAddress> requested, List<RangeSet> sets)
    {
        var pending = new List<IPAddress>(requested);
        foreach (RangeSet set in sets)
        {
            int match = pending.FindIndex(set.Contains);
            if (match >= 0) pending.RemoveAt(match);
        }
        if (pending.Count > 0)
            throw Invalid("failed to allocate all requested IPs: " + string.Join(" ", pending.Select(IpText.Format)));
    }

    internal static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);
}
