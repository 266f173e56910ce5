using System.Net.NetworkInformation;
using CniSharp.Attachments;
using CniSharp.Cni;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins.Bridge;

// ipMasq and macspoofchk: the pod's elements in CniSharp's nf_tables tables, owned by (network, container id,
// ifname), so DEL, GC and the sweeps remove them by owner — with no netns, addresses or live links needed.
internal sealed partial class BridgePlugin
{
    private static bool UsesNetfilter(BridgeNetConf conf) => conf.IpMasq || conf.MacSpoofCheck;

    private static ElementOwner OwnerOf(BridgeNetConf conf, string containerId, string ifName) => new(conf.Name!, containerId, ifName);

    /// <summary>ADD: guards the port (spoof check) and masquerades the addresses; the rollback removes both.</summary>
    private static void AddNetfilter(BridgeNetConf conf, CniArgs args, CniResult result, LinkInfo hostVeth, PhysicalAddress? mac, Rollback rollback)
    {
        if (!UsesNetfilter(conf)) return;
        ElementOwner owner = OwnerOf(conf, args.ContainerId, args.IfName);
        // Registered first: removal is by owner, so it undoes whatever part was added.
        rollback.Add("nf_tables elements", () => RemoveNetfilter(conf, owner)?.Dispose());
        using NfTables nft = NfTables.Open();
        if (conf.MacSpoofCheck)
        {
            PhysicalAddress guarded = mac ?? throw new CniException(CniErrorCode.Internal,
                $"macspoofchk: the MAC address of \"{args.IfName}\" is unknown");
            SpoofCheck.Add(nft, owner, hostVeth.Name, guarded);
        }
        if (conf.IpMasq && result.Ips.Count > 0)
            Masquerade.AddPod(nft, owner, result.Ips.Select(ip => ip.Address).ToList(), BridgeConfig.NonMasqueradeCidrs(conf));
    }

    /// <summary>
    /// DEL and the sweeps: removes the attachment's elements, wherever they are. Returns the socket, for the caller
    /// to close last: after a delete the close waits for the kernel's RCU grace period (about 10 ms), which then
    /// passes while DEL deletes the veth instead of before.
    /// </summary>
    private static NfTables? RemoveNetfilter(BridgeNetConf conf, ElementOwner owner)
    {
        if (!UsesNetfilter(conf)) return null;
        NfTables? nft = NfTables.TryOpen();
        if (nft is null) return null;
        try
        {
            if (conf.IpMasq) Masquerade.RemovePod(nft, owner);
            if (conf.MacSpoofCheck) SpoofCheck.Remove(nft, owner);
            return nft;
        }
        catch
        {
            nft.Dispose();
            throw;
        }
    }

    private static void RemoveNetfilter(BridgeNetConf conf, AttachmentRecord record) =>
        RemoveNetfilter(conf, OwnerOf(conf, record.ContainerId, record.IfName))?.Dispose();

    /// <summary>
    /// GC: removes the network's elements of every attachment not in the valid list, recorded or not (an ADD
    /// killed before its record was complete). Both features are swept when the configuration uses either.
    /// </summary>
    private static void GcNetfilter(BridgeNetConf conf, HashSet<(string ContainerId, string IfName)> valid)
    {
        if (!UsesNetfilter(conf)) return;
        using NfTables? nft = NfTables.TryOpen();
        if (nft is null) return;
        Masquerade.Gc(nft, conf.Name!, (id, ifName) => valid.Contains((id, ifName)));
        SpoofCheck.Gc(nft, conf.Name!, (id, ifName) => valid.Contains((id, ifName)));
    }

    /// <summary>STATUS: 50 unless the kernel would accept what the first ADD of each feature sends.</summary>
    private static void RequireNetfilter(BridgeNetConf conf)
    {
        if (conf.IpMasq) NetfilterStatus.Require("ipMasq", Masquerade.Validate);
        if (conf.MacSpoofCheck) NetfilterStatus.Require("macspoofchk", SpoofCheck.Validate);
    }
}
