using System.Net.NetworkInformation;
using CniSharp.Cni;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;
using CniSharp.Netlink.Route;

namespace CniSharp.Plugins.Bridge;

// macspoofchk: the bridge port's (port, MAC) pair in the bridge family, beside the shared masquerade elements.
internal sealed partial class BridgePlugin
{
    protected override bool UsesNetfilter(BridgeNetConf conf) => conf.IpMasq || conf.MacSpoofCheck;

    protected override void AddOwnElements(NfTables nft, BridgeNetConf conf, ElementOwner owner, CniArgs args, LinkInfo hostVeth,
        PhysicalAddress? mac)
    {
        if (!conf.MacSpoofCheck) return;
        PhysicalAddress guarded = mac ?? throw new CniException(CniErrorCode.Internal,
            $"macspoofchk: the MAC address of \"{args.IfName}\" is unknown");
        SpoofCheck.Add(nft, owner, hostVeth.Name, guarded);
    }

    protected override void RemoveOwnElements(NfTables nft, BridgeNetConf conf, ElementOwner owner)
    {
        if (conf.MacSpoofCheck) SpoofCheck.Remove(nft, owner);
    }

    /// <summary>Swept whenever the configuration uses nf_tables at all: a key turned off leaves no element behind.</summary>
    protected override void GcOwnElements(NfTables nft, BridgeNetConf conf, Func<string, string, bool> keep) =>
        SpoofCheck.Gc(nft, conf.Name!, keep);

    protected override void RequireOwnNetfilter(BridgeNetConf conf)
    {
        if (conf.MacSpoofCheck) NetfilterStatus.Require("macspoofchk", SpoofCheck.Validate);
    }
}
