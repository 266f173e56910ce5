using System.Net;
using CniSharp.Cni;
using CniSharp.Files;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// host-local in-process: one address per range set from files under &lt;dataDir&gt;/&lt;network&gt;, shared with
/// (and byte-compatible with) the reference Go plugin. Each verb takes the store lock once.
/// </summary>
internal sealed partial class HostLocalIpam : IIpam
{
    private readonly Func<IpamConfig, IIpamStore> _openStore;

    public HostLocalIpam() : this(config => new DiskStore(config.NetworkDir)) { }

    /// <summary>For tests: a store per loaded config (e.g. an in-memory fake).</summary>
    public HostLocalIpam(Func<IpamConfig, IIpamStore> openStore) => _openStore = openStore;

    void IIpam.Status(IpamRequest request) => Status(request.Conf);

    void IIpam.Gc(IpamRequest request, IReadOnlyCollection<GcAttachment> validAttachments) => Gc(request.Conf, validAttachments);

    public CniResult Add(IpamRequest request)
    {
        IpamConfig config = IpamConfig.Load(request);
        // Read resolvConf before reserving anything, so a bad path cannot leak addresses.
        CniDns? dns = config.ResolvConf is { } path ? ResolvConf.Load(path) : null;
        IIpamStore store = _openStore(config);

        var result = new CniResult { Routes = [.. config.Routes], Dns = dns is { IsEmpty: false } ? dns : null };
        using (LockStore(store, config))
        {
            try
            {
                Allocate(config, store, request.Args, result);
            }
            catch
            {
                ReleaseQuietly(store, result);
                throw;
            }
        }
        return result;
    }

    public void Del(IpamRequest request)
    {
        IpamConfig config = IpamConfig.Load(request);
        IIpamStore store = _openStore(config);
        // Nothing was ever reserved on this network (or the data dir is gone): DEL must still succeed.
        if (!store.Exists) return;
        using (LockStore(store, config))
            Guard(config, "release", () => store.ReleaseByID(request.Args.ContainerId, request.Args.IfName));
    }

    public void Check(IpamRequest request)
    {
        IpamConfig config = IpamConfig.Load(request);
        IIpamStore store = _openStore(config);
        string id = request.Args.ContainerId, ifName = request.Args.IfName;
        bool found = false;
        if (store.Exists)
        {
            using (LockStore(store, config))
                found = Guard(config, "read", () => store.List().Any(r => r.IsOwnedBy(id, ifName)));
        }
        // As the reference: any address of this attachment will do; which one is not verified.
        if (!found)
            throw new CniException(CniErrorCode.Internal,
                $"host-local: failed to find address added by container {id} (ifname {ifName}) in network \"{config.Name}\" ({config.NetworkDir})");
    }

    private static void Allocate(IpamConfig config, IIpamStore store, CniArgs args, CniResult result)
    {
        var pending = new List<IPAddress>(config.RequestedIPs);
        for (int i = 0; i < config.RangeSets.Count; i++)
        {
            RangeSet set = config.RangeSets[i];
            // The first requested address inside this set is the one for it.
            int match = pending.FindIndex(set.Contains);
            IPAddress? requested = match >= 0 ? pending[match] : null;
            if (match >= 0) pending.RemoveAt(match);

            var allocator = new IpAllocator(set, store, i);
            try
            {
                result.Ips.Add(Guard(config, "reserve an address", () => allocator.Get(args.ContainerId, args.IfName, requested)));
            }
            catch (CniException ex)
            {
                throw new CniException(ex.Code, $"failed to allocate for range {i}: {ex.Message}", ex.Details, ex);
            }
        }
        if (pending.Count > 0)
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                "failed to allocate all requested IPs: " + string.Join(" ", pending.Select(IpText.Format)));
    }

    /// <summary>Undoes this ADD's reservations only (the reference releases by id, which also drops older ones).</summary>
    private static void ReleaseQuietly(IIpamStore store, CniResult result)
    {
        foreach (CniIPConfig ip in result.Ips)
        {
            try
            {
                store.Release(ip.Address.Address);
            }
            catch (Exception ex) when (FileErrors.IsFileSystemFailure(ex))
            {
                // N.B. best effort: the ADD's own error is the one to report.
            }
        }
    }

    private static IDisposable LockStore(IIpamStore store, IpamConfig config) =>
        Guard(config, "lock", store.Lock);

    /// <summary>Turns file-system failures into code 5 naming the network directory.</summary>
    private static T Guard<T>(IpamConfig config, string operation, Func<T> action) =>
        FileErrors.Guard(CniErrorCode.IOFailure, $"host-local: failed to {operation} in {config.NetworkDir}", action);
}
