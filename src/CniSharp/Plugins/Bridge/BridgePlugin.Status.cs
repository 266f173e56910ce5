using CniSharp.Attachments;
using CniSharp.Cni;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins.Bridge;

// STATUS (spec 1.1): what the bridge and the shared AttachmentLifecycle say about the network as a whole.
internal sealed partial class BridgePlugin
{
    /// <summary>
    /// Spec 1.1 STATUS. containerd turns a failure into a NotReady node, so each answer is a real finding:
    /// 51 when recorded pods lost their bridge; 50 when the node agent is not ready (readinessFile) or an ADD could
    /// not succeed (VLAN on a kernel without it, an unusable state dir, or the IPAM's own answer: a full range, an
    /// unusable data dir); otherwise ready.
    /// Attachments of an earlier boot are reclaimed first, so they neither fill the range nor count as impaired.
    /// </summary>
    public override void Status(PluginRequest request)
    {
        BridgeNetConf conf = BridgeConfig.Load(request);
        BridgeConfig.RefuseUnimplemented(conf, CniErrorCode.NotAvailable);
        AgentReadiness.Require(conf.ReadinessFile, DateTime.UtcNow);
        RequireNetfilter(conf);
        AttachmentLifecycle attachments = LifecycleFor(conf);
        using (IRouteNetlink host = OpenNetlink())
        {
            RefuseVlan(host, conf, CniErrorCode.NotAvailable);
            attachments.ProbeReady(request.Args);
            if (host.GetLink(conf.BridgeName) is null && attachments.ReadyAttachments().Count is int orphaned and > 0)
                throw new CniException(CniErrorCode.LimitedConnectivity,
                    $"bridge \"{conf.BridgeName}\" is missing while {orphaned} attachment(s) of network \"{conf.Name}\" exist " +
                    $"(records in {attachments.Store.AttachmentsDir}): those pods have no connectivity; recreate their sandboxes");
        }
        attachments.IpamStatus(request.Args);
    }
}
