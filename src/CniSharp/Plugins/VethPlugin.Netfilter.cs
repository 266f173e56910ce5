using System.Net.NetworkInformation;
using CniSharp.Attachments;
using CniSharp.Cni;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins;

// A pod's elements in CniSharp's nf_tables tables (ipMasq for every veth plugin; a plugin may add its own, as
// the bridge's macspoofchk), owned by (network, container id, ifname): DEL, GC and the sweeps remove them by
// owner, with no netns, addresses or live links needed.
internal abstract partial class VethPlugin<TConf>
{
    /// <summary>Whether this configuration puts anything of the pod into nf_tables.</summary>
    protected virtual bool UsesNetfilter(TConf conf) => conf.IpMasq;

    protected static ElementOwner OwnerOf(TConf conf, string containerId, string ifName) => new(conf.Name!, containerId, ifName);

    /// <summary>ADD: masquerades the pod's addresses (and whatever the plugin adds); the rollback removes it all.</summary>
    protected void AddNetfilter(TConf conf, CniArgs args, CniResult result, LinkInfo hostVeth, PhysicalAddress? mac, Rollback rollback)
    {
        if (!UsesNetfilter(conf)) return;
        ElementOwner owner = OwnerOf(conf, args.ContainerId, args.IfName);
        // Registered first: removal is by owner, so it undoes whatever part was added.
        rollback.Add("nf_tables elements", () => RemoveNetfilter(conf, owner)?.Dispose());
        using NfTables nft = NfTables.Open();
        AddOwnElements(nft, conf, owner, args, hostVeth, mac);
        if (conf.IpMasq && result.Ips.Count > 0)
            Masquerade.AddPod(nft, owner, result.Ips.Select(ip => ip.Address).ToList(), MainPluginConfig.NonMasqueradeCidrs(conf));
    }

    /// <summary>The plugin's own elements beyond masquerade (none by default).</summary>
    protected virtual void AddOwnElements(NfTables nft, TConf conf, ElementOwner owner, CniArgs args, LinkInfo hostVeth, PhysicalAddress? mac)
    {
    }

    protected virtual void RemoveOwnElements(NfTables nft, TConf conf, ElementOwner owner)
    {
    }

    protected virtual void GcOwnElements(NfTables nft, TConf conf, Func<string, string, bool> keep)
    {
    }

    protected virtual void RequireOwnNetfilter(TConf conf)
    {
    }

    /// <summary>
    /// DEL and the sweeps: removes the attachment's elements, wherever they are. Returns the socket, for the caller
    /// to close last: after a delete the close waits for the kernel's RCU grace period (about 10 ms), which then
    /// passes while DEL deletes the veth instead of before.
    /// </summary>
    protected NfTables? RemoveNetfilter(TConf conf, ElementOwner owner)
    {
        if (!UsesNetfilter(conf)) return null;
        NfTables? nft = NfTables.TryOpen();
        if (nft is null) return null;
        try
        {
            if (conf.IpMasq) Masquerade.RemovePod(nft, owner);
            RemoveOwnElements(nft, conf, owner);
            return nft;
        }
        catch
        {
            nft.Dispose();
            throw;
        }
    }

    /// <summary>
    /// GC: removes the network's elements of every attachment not in the valid list, recorded or not (an ADD
    /// killed before its record was complete).
    /// </summary>
    protected void GcNetfilter(TConf conf, HashSet<(string ContainerId, string IfName)> valid)
    {
        if (!UsesNetfilter(conf)) return;
        using NfTables? nft = NfTables.TryOpen();
        if (nft is null) return;
        Func<string, string, bool> keep = (id, ifName) => valid.Contains((id, ifName));
        Masquerade.Gc(nft, conf.Name!, keep);
        GcOwnElements(nft, conf, keep);
    }

    /// <summary>STATUS: 50 unless the kernel would accept what the first ADD of each feature sends.</summary>
    protected void RequireNetfilter(TConf conf)
    {
        if (conf.IpMasq) NetfilterStatus.Require("ipMasq", Masquerade.Validate);
        RequireOwnNetfilter(conf);
    }

    /// <summary>A record's release (GC, reboot reclaim, "cnisharp gc"): its elements, then its host veth.</summary>
    private ReleaseHostSide ReleaseWithElements(TConf conf) => (host, record) =>
    {
        RemoveNetfilter(conf, OwnerOf(conf, record.ContainerId, record.IfName))?.Dispose();
        AttachmentLifecycle.DeleteHostVeth(host, record);
    };
}
