using System.Globalization;
using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Logging;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;
using CniSharp.Attachments;
using CniSharp.Files;

namespace CniSharp.Plugins.Bridge;

// Attachment records: what each ADD made, on disk, so DEL, CHECK and GC never depend on live interfaces,
// and the sweep that releases the attachments nobody will ever DEL.
internal sealed partial class BridgePlugin
{
    private static AttachmentStore StoreFor(BridgeNetConf conf) => new(conf.StateDirOrDefault, conf.Name!);

    private static AttachmentRecord NewRecord(PluginRequest request, BridgeNetConf conf, string hostVethName) => new()
    {
        ContainerId = request.Args.ContainerId,
        IfName = request.Args.IfName,
        Network = conf.Name,
        NetNs = request.Args.NetNs,
        Bridge = conf.BridgeName,
        HostVeth = hostVethName,
        ConfigHash = ConfigHash.Of(request.Config),
        BootId = BootId.Current,
        Phase = AttachmentRecord.PhaseAdding,
        Created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Writes the intent record and says whether it is this ADD's. A record of this boot already there belongs
    /// to an earlier ADD of the same attachment (alive, or waiting for its DEL): it stays until this ADD succeeds.
    /// </summary>
    private static bool BeginRecord(AttachmentStore attachments, AttachmentRecord record)
    {
        if (attachments.TryRead(record.ContainerId, record.IfName) is { } existing && existing.BootId == record.BootId)
            return false;
        attachments.Write(record);
        return true;
    }

    private static void CompleteRecord(AttachmentStore attachments, AttachmentRecord record, LinkInfo hostVeth, CniResult result)
    {
        record.Phase = AttachmentRecord.PhaseReady;
        record.HostVethIndex = hostVeth.Index;
        record.Ips = result.Ips.Select(ip => ip.Address.ToString()).ToList();
        attachments.Write(record);
    }

    private static void DeleteRecordQuietly(AttachmentStore attachments, CniArgs args)
    {
        try
        {
            attachments.Delete(args.ContainerId, args.IfName);
        }
        catch (CniException e)
        {
            Log.Warn($"rollback: could not remove the attachment record: {e.Message}");
        }
    }

    private static void WarnIfConfigChanged(AttachmentRecord? record, PluginRequest request)
    {
        if (record?.ConfigHash is string made && Log.IsEnabled(LogLevel.Warning) && made != ConfigHash.Of(request.Config))
            Log.Warn($"{request.Args.Command.Name()} {record}: the network configuration changed since ADD ({made})");
    }

    /// <summary>
    /// After a reboot no DEL ever comes for the pods of the previous boot, and their netns are gone: release what
    /// their records hold. One small read when nothing rebooted; the sweep itself runs once per boot and network.
    /// Reservations CniSharp has no record of (another writer's) are left alone: nothing proves them dead.
    /// </summary>
    private void ReclaimEarlierBoots(AttachmentStore attachments, BridgeNetConf conf, CniArgs args)
    {
        string boot = BootId.Current;
        if (attachments.ReadBootStamp() == boot) return;
        using (attachments.Lock())
        {
            if (attachments.ReadBootStamp() == boot) return;
            var errors = new List<string>();
            Sweep(attachments, conf, args, r => r.BootId == boot ? null : $"made during an earlier boot ({r.BootId ?? "unknown"})",
                dryRun: false, errors, Log.Warn);
            // With errors the stamp stays old, so the next call tries again.
            if (errors.Count == 0) attachments.WriteBootStamp(boot);
            else Log.Warn($"reclaiming attachments of earlier boots: {string.Join("; ", errors)}");
        }
    }

    /// <summary>
    /// Releases (or, on a dry run, lists) every recorded attachment <paramref name="staleBecause"/> gives a reason
    /// for; continues past failures, collecting them in <paramref name="errors"/>. Call under the store lock.
    /// </summary>
    private List<SweptAttachment> Sweep(AttachmentStore attachments, BridgeNetConf conf, CniArgs template,
        Func<AttachmentRecord, string?> staleBecause, bool dryRun, List<string> errors, Action<string> warn)
    {
        var swept = new List<SweptAttachment>();
        List<(string Path, AttachmentRecord? Record)> entries = attachments.List();
        if (entries.Count == 0) return swept;
        using IRouteNetlink host = openNetlink();
        foreach ((string path, AttachmentRecord? record) in entries)
        {
            if (record is null)
            {
                warn($"{path} is not a readable attachment record; left in place");
                continue;
            }
            if (staleBecause(record) is not string reason) continue;
            if (dryRun || Release(attachments, record, conf, template, host, errors))
                swept.Add(new SweptAttachment(record, reason));
        }
        return swept;
    }

    /// <summary>DEL for an attachment from its record alone: addresses, host veth, then the record itself.</summary>
    private bool Release(AttachmentStore attachments, AttachmentRecord record, BridgeNetConf conf, CniArgs template,
        IRouteNetlink host, List<string> errors)
    {
        int before = errors.Count;
        if (conf.IsLayer3)
            Attempt(errors, $"release the addresses of {record}", () => ipamFor(conf)!.Del(new IpamRequest(DelArgsFor(record, template), conf)));
        Attempt(errors, $"delete the host veth of {record}",
            () => DeleteHostVeth(host, record.HostVeth ?? HostVethName.For(record.ContainerId, record.IfName)));
        if (errors.Count == before)
            Attempt(errors, $"remove the record of {record}", () => attachments.Delete(record.ContainerId, record.IfName));
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
        catch (Exception e) when (e is CniException or NetlinkException or IOException or Interop.UnixException)
        {
            errors.Add($"could not {what}: {e.Message}");
        }
    }
}
