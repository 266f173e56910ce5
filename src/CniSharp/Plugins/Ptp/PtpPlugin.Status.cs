using System.Net.Sockets;
using CniSharp.Attachments;
using CniSharp.Cni;
using CniSharp.Pods;

namespace CniSharp.Plugins.Ptp;

// STATUS (spec 1.1): what the host's forwarding and the shared AttachmentLifecycle say about the network as a whole.
internal sealed partial class PtpPlugin
{
    /// <summary>
    /// Spec 1.1 STATUS: 50 when the node agent is not ready (readinessFile) or an ADD could not succeed (ipMasq, an
    /// unusable state dir, the IPAM's own answer); 51 when pods are attached but the host no longer forwards their
    /// family (they reach the host, nothing beyond it); otherwise ready. Attachments of an earlier boot are reclaimed first.
    /// </summary>
    public override void Status(PluginRequest request)
    {
        PtpNetConf conf = PtpConfig.Load(request);
        PtpConfig.RefuseUnimplemented(conf, CniErrorCode.NotAvailable);
        AgentReadiness.Require(conf.ReadinessFile, DateTime.UtcNow);
        RequireNetfilter(conf);
        AttachmentLifecycle attachments = LifecycleFor(conf);
        attachments.ProbeReady(request.Args);
        List<AttachmentRecord> ready = attachments.ReadyAttachments();
        foreach (AddressFamily family in (ReadOnlySpan<AddressFamily>)[AddressFamily.InterNetwork, AddressFamily.InterNetworkV6])
        {
            bool ipv4 = family == AddressFamily.InterNetwork;
            int routed = ready.Count(r => r.Ips.Any(ip => ip.Contains(':') != ipv4));
            if (routed > 0 && !Forwarding.IsEnabled(family))
                throw new CniException(CniErrorCode.LimitedConnectivity,
                    $"{Forwarding.SysctlName(family)} is off while {routed} attachment(s) of network \"{conf.Name}\" use {(ipv4 ? "IPv4" : "IPv6")}: " +
                    $"those pods reach only this host; set {Forwarding.SysctlName(family)}=1");
        }
        attachments.IpamStatus(request.Args);
    }
}
