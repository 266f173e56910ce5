using CniSharp.Attachments;
using CniSharp.Cni;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Plugins.Bridge;

// The CNI 1.1 verbs about the network as a whole, and the operator's sweep for runtimes that never send GC;
// the attachment records behind them are the shared AttachmentLifecycle's.
internal sealed partial class BridgePlugin
{
    private AttachmentLifecycle LifecycleFor(BridgeNetConf conf) =>
        new(conf, TypeName, openNetlink, ipamFor, AttachmentLifecycle.DeleteHostVeth);

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
        AttachmentLifecycle attachments = LifecycleFor(conf);
        using (IRouteNetlink host = openNetlink())
        {
            RefuseVlan(host, conf, CniErrorCode.NotAvailable);
            attachments.ProbeReady(request.Args);
            if (host.GetLink(conf.BridgeName) is null && attachments.CountReady() is int orphaned and > 0)
                throw new CniException(CniErrorCode.LimitedConnectivity,
                    $"bridge \"{conf.BridgeName}\" is missing while {orphaned} attachment(s) of network \"{conf.Name}\" exist " +
                    $"(records in {attachments.Store.AttachmentsDir}): those pods have no connectivity; recreate their sandboxes");
        }
        attachments.IpamStatus(request.Args);
    }

    /// <summary>Spec 1.1 GC: see <see cref="AttachmentLifecycle.Gc"/>.</summary>
    public void Gc(PluginRequest request)
    {
        BridgeNetConf conf = BridgeConfig.Load(request);
        if (conf.GcDisabled) return;
        LifecycleFor(conf).Gc(request.Args, request.Config);
    }

    /// <summary>"cnisharp gc": see <see cref="AttachmentLifecycle.CollectStale"/>.</summary>
    public List<SweptAttachment> CollectStale(PluginRequest request, bool dryRun, List<string> errors, Action<string> warn) =>
        LifecycleFor(BridgeConfig.Load(request)).CollectStale(request.Args, dryRun, errors, warn);
}
