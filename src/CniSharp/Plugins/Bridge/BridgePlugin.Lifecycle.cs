using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Netlink.Route;
using CniSharp.Pods;
using CniSharp.Attachments;
using CniSharp.Files;

namespace CniSharp.Plugins.Bridge;

// The CNI 1.1 verbs about the network as a whole, and the operator's sweep for runtimes that never send GC.
internal sealed partial class BridgePlugin
{
    /// <summary>
    /// Spec 1.1 STATUS. containerd turns a failure into a NotReady node, so each answer is a real finding:
    /// 51 when recorded pods lost their bridge; 50 when an ADD could not succeed (VLAN on a kernel without it,
    /// an unusable state dir, or the IPAM's own answer: a full range, an unusable data dir); otherwise ready.
    /// Attachments of an earlier boot are reclaimed first, so they neither fill the range nor count as impaired.
    /// </summary>
    public void Status(PluginRequest request)
    {
        BridgeNetConf conf = BridgeConfig.Load(request);
        BridgeConfig.RefuseUnimplemented(conf, CniErrorCode.NotAvailable);
        using (IRouteNetlink host = openNetlink())
        {
            RefuseVlan(host, conf, CniErrorCode.NotAvailable);
            AttachmentStore attachments = StoreFor(conf);
            NotAvailableUnless(attachments.ProbeWritable);
            NotAvailableUnless(() => ReclaimEarlierBoots(attachments, conf, request.Args));
            if (host.GetLink(conf.BridgeName) is null)
            {
                int orphaned = attachments.List().Count(e => e.Record is { Phase: AttachmentRecord.PhaseReady });
                if (orphaned > 0)
                    throw new CniException(CniErrorCode.LimitedConnectivity,
                        $"bridge \"{conf.BridgeName}\" is missing while {orphaned} attachment(s) of network \"{conf.Name}\" exist " +
                        $"(records in {attachments.AttachmentsDir}): those pods have no connectivity; recreate their sandboxes");
            }
        }
        if (conf.IsLayer3)
            ipamFor(conf)!.Status(new IpamRequest(request.Args, conf));
    }

    /// <summary>
    /// Spec 1.1 GC: releases every recorded attachment not in cni.dev/valid-attachments (addresses, host veth,
    /// record), then forwards GC to the IPAM, which also frees reservations we hold no record of. Listed
    /// attachments are never touched. Failures do not stop it; they are all reported at the end.
    /// </summary>
    public void Gc(PluginRequest request)
    {
        BridgeNetConf conf = BridgeConfig.Load(request);
        if (conf.GcDisabled) return;
        IReadOnlyList<GcAttachment> valid = GcAttachment.Parse(request.Config);
        var keep = valid.Select(a => (a.ContainerId, a.IfName)).ToHashSet();

        var errors = new List<string>();
        AttachmentStore attachments = StoreFor(conf);
        if (Directory.Exists(attachments.NetworkDir))
        {
            using (attachments.Lock())
                Sweep(attachments, conf, request.Args, r => keep.Contains((r.ContainerId, r.IfName)) ? null : "not in the valid attachments",
                    dryRun: false, errors, Logging.Log.Warn);
        }
        if (conf.IsLayer3)
        {
            try
            {
                ipamFor(conf)!.Gc(new IpamRequest(request.Args, conf), valid);
            }
            catch (CniException e)
            {
                errors.Add($"IPAM GC: {e.Message}");
            }
        }
        if (errors.Count > 0)
            throw new CniException(CniErrorCode.Internal,
                $"GC of network \"{conf.Name}\" finished with {errors.Count} error(s): {string.Join("; ", errors)}");
    }

    /// <summary>
    /// "cnisharp gc": for runtimes that never send GC. An attachment is stale when it was made during an earlier
    /// boot, or when its netns path is gone and its host veth with it; anything still alive is left alone.
    /// </summary>
    public List<SweptAttachment> CollectStale(PluginRequest request, bool dryRun, List<string> errors, Action<string> warn)
    {
        BridgeNetConf conf = BridgeConfig.Load(request);
        AttachmentStore attachments = StoreFor(conf);
        if (!Directory.Exists(attachments.NetworkDir)) return [];
        string boot = BootId.Current;
        using IRouteNetlink host = openNetlink();
        using (attachments.Lock())
        {
            List<SweptAttachment> swept = Sweep(attachments, conf, request.Args, r => StaleReason(r, boot, host), dryRun, errors, warn);
            if (!dryRun && errors.Count == 0) attachments.WriteBootStamp(boot);
            return swept;
        }
    }

    private static string? StaleReason(AttachmentRecord record, string boot, IRouteNetlink host)
    {
        if (record.BootId != boot) return $"made during an earlier boot ({record.BootId ?? "unknown"})";
        if (string.IsNullOrEmpty(record.NetNs) || File.Exists(record.NetNs)) return null;
        string veth = record.HostVeth ?? HostVethName.For(record.ContainerId, record.IfName);
        // A vanished netns path with the veth still there means something still holds the namespace open.
        return host.GetLink(veth) is null ? $"its netns {record.NetNs} is gone" : null;
    }

    private static void NotAvailableUnless(Action probe)
    {
        try
        {
            probe();
        }
        catch (CniException e) when (e.Code == CniErrorCode.IOFailure)
        {
            throw new CniException(CniErrorCode.NotAvailable, e.Message, e.Details, e);
        }
    }
}
