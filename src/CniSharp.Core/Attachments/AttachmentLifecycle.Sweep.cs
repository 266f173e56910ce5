using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Files;
using CniSharp.Ipam;
using CniSharp.Logging;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Attachments;

// The sweeps: every recorded attachment some rule calls stale is released from its record alone (addresses,
// host side, record), under the store lock, continuing past failures.
internal sealed partial class AttachmentLifecycle
{
    /// <summary>
    /// After a reboot no DEL ever comes for the pods of the previous boot, and their netns are gone: release what
    /// their records hold. One small read when nothing rebooted; the sweep itself runs once per boot and network.
    /// Reservations CniSharp has no record of (another writer's) are left alone: nothing proves them dead.
    /// </summary>
    public void ReclaimEarlierBoots(CniArgs args)
    {
        string boot = BootId.Current;
        if (Store.ReadBootStamp() == boot) return;
        using (Store.Lock())
        {
            if (Store.ReadBootStamp() == boot) return;
            var errors = new List<string>();
            Sweep(args, r => r.BootId == boot ? null : $"made during an earlier boot ({r.BootId ?? "unknown"})",
                dryRun: false, errors, Log.Warn);
            // With errors the stamp stays old, so the next call tries again.
            if (errors.Count == 0) Store.WriteBootStamp(boot);
            else Log.Warn($"reclaiming attachments of earlier boots: {string.Join("; ", errors)}");
        }
    }

    /// <summary>
    /// Spec 1.1 GC: releases every recorded attachment not in cni.dev/valid-attachments (addresses, host side,
    /// record), then forwards GC to the IPAM, which also frees reservations we hold no record of. Listed
    /// attachments are never touched. Failures do not stop it; they are all reported at the end.
    /// </summary>
    public void Gc(CniArgs args, JsonElement config)
    {
        IReadOnlyList<GcAttachment> valid = GcAttachment.Parse(config);
        var keep = valid.Select(a => (a.ContainerId, a.IfName)).ToHashSet();

        var errors = new List<string>();
        if (Directory.Exists(Store.NetworkDir))
        {
            using (Store.Lock())
                Sweep(args, r => keep.Contains((r.ContainerId, r.IfName)) ? null : "not in the valid attachments",
                    dryRun: false, errors, Log.Warn);
        }
        if (_conf.IsLayer3)
        {
            try
            {
                Ipam.Gc(new IpamRequest(args, _conf), valid);
            }
            catch (CniException e)
            {
                errors.Add($"IPAM GC: {e.Message}");
            }
        }
        if (errors.Count > 0)
            throw new CniException(CniErrorCode.Internal,
                $"GC of network \"{_conf.Name}\" finished with {errors.Count} error(s): {string.Join("; ", errors)}");
    }

    /// <summary>
    /// "cnisharp gc": for runtimes that never send GC. An attachment is stale when it was made during an earlier
    /// boot, or when its netns path is gone and its host veth with it; anything still alive is left alone.
    /// </summary>
    public List<SweptAttachment> CollectStale(CniArgs args, bool dryRun, List<string> errors, Action<string> warn)
    {
        if (!Directory.Exists(Store.NetworkDir)) return [];
        string boot = BootId.Current;
        using IRouteNetlink host = _openNetlink();
        using (Store.Lock())
        {
            List<SweptAttachment> swept = Sweep(args, r => StaleReason(r, boot, host), dryRun, errors, warn);
            if (!dryRun && errors.Count == 0) Store.WriteBootStamp(boot);
            return swept;
        }
    }

    private static string? StaleReason(AttachmentRecord record, string boot, IRouteNetlink host)
    {
        if (record.BootId != boot) return $"made during an earlier boot ({record.BootId ?? "unknown"})";
        if (string.IsNullOrEmpty(record.NetNs) || File.Exists(record.NetNs)) return null;
        // A vanished netns path with the veth still there means something still holds the namespace open.
        return host.GetLink(record.HostVethOrDerived) is null ? $"its netns {record.NetNs} is gone" : null;
    }

    /// <summary>
    /// Releases (or, on a dry run, lists) every recorded attachment <paramref name="staleBecause"/> gives a reason
    /// for; continues past failures, collecting them in <paramref name="errors"/>. Call under the store lock.
    /// </summary>
    private List<SweptAttachment> Sweep(CniArgs template, Func<AttachmentRecord, string?> staleBecause, bool dryRun,
        List<string> errors, Action<string> warn)
    {
        var swept = new List<SweptAttachment>();
        List<(string Path, AttachmentRecord? Record)> entries = Store.List();
        if (entries.Count == 0) return swept;
        using IRouteNetlink host = _openNetlink();
        foreach ((string path, AttachmentRecord? record) in entries)
        {
            if (record is null)
            {
                warn($"{path} is not a readable attachment record; left in place");
                continue;
            }
            if (staleBecause(record) is not string reason) continue;
            if (dryRun || Release(record, template, host, errors))
                swept.Add(new SweptAttachment(record, reason));
        }
        return swept;
    }

    /// <summary>DEL for an attachment from its record alone: addresses, host side, then the record itself.</summary>
    private bool Release(AttachmentRecord record, CniArgs template, IRouteNetlink host, List<string> errors)
    {
        int before = errors.Count;
        if (_conf.IsLayer3)
            Attempt(errors, $"release the addresses of {record}", () => Ipam.Del(new IpamRequest(DelArgsFor(record, template), _conf)));
        Attempt(errors, $"delete the host veth of {record}", () => _releaseHostSide(host, record));
        if (errors.Count == before)
            Attempt(errors, $"remove the record of {record}", () => Store.Delete(record.ContainerId, record.IfName));
        return errors.Count == before;
    }

    /// <summary>A DEL invocation for a recorded attachment; its netns is gone or about to be, so none is named.</summary>
    private static CniArgs DelArgsFor(AttachmentRecord record, CniArgs template) => new()
    {
        Command = CniCommand.Del,
        ContainerId = record.ContainerId,
        IfName = record.IfName,
        NetNs = "",
        Path = template.Path,
        StdinData = template.StdinData,
    };

    private static void Attempt(List<string> errors, string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is CniException or NetlinkException || FileErrors.IsFileSystemFailure(e))
        {
            errors.Add($"could not {what}: {e.Message}");
        }
    }
}
