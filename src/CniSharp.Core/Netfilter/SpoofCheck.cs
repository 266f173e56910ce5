using System.Net.NetworkInformation;
using CniSharp.Interop;
using CniSharp.Netlink;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// macspoofchk in "bridge cnisharp": frames entering the bridge from a guarded pod port whose source MAC is not
/// that pod's are dropped, by one rule,
/// <c>iifname @spoofchk-ports iifname . ether saddr != @spoofchk-allowed drop</c>, in a filter chain at
/// priority -300 of the bridge's prerouting hook. Each pod adds its port and its (port, MAC) pair as elements.
/// </summary>
internal static class SpoofCheck
{
    public const string Chain = "spoofchk";
    public const string PortsSet = "spoofchk-ports";
    public const string AllowedSet = "spoofchk-allowed";

    private static readonly string[] Sets = [PortsSet, AllowedSet];

    /// <summary>Guards <paramref name="hostPort"/> (the pod's bridge port): only <paramref name="mac"/> may send.</summary>
    public static void Add(NfTables nft, ElementOwner owner, string hostPort, PhysicalAddress mac)
    {
        try
        {
            Commit(nft, owner, hostPort, mac, withStructure: false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            try
            {
                Commit(nft, owner, hostPort, mac, withStructure: true);
            }
            catch (NetlinkException raced) when (raced.Errno == Errno.EEXIST)
            {
                Commit(nft, owner, hostPort, mac, withStructure: false);
            }
        }
    }

    /// <summary>Stops guarding the attachment's port, found by owner.</summary>
    public static void Remove(NfTables nft, ElementOwner owner) =>
        OwnedElements.Remove(nft, CnisharpTables.Bridge, CnisharpTables.Name, Sets, owner.Owns);

    /// <summary>Removes the guards of <paramref name="network"/>'s attachments that <paramref name="keep"/> rejects (GC).</summary>
    public static void Gc(NfTables nft, string network, Func<string, string, bool> keep) =>
        OwnedElements.Remove(nft, CnisharpTables.Bridge, CnisharpTables.Name, Sets,
            c => ElementOwner.TryParse(c, network, out string id, out string ifName) && !keep(id, ifName));

    /// <summary>Has the kernel check, applying nothing, the transaction the first guarded pod would send.</summary>
    public static void Validate(NfTables nft)
    {
        NftBatch batch = nft.Begin();
        WriteStructure(batch, exclusive: false);
        batch.Validate();
    }

    private static void Commit(NfTables nft, ElementOwner owner, string hostPort, PhysicalAddress mac, bool withStructure)
    {
        NftBatch batch = nft.Begin();
        if (withStructure)
            WriteStructure(batch, exclusive: true);
        batch.AddElements(CnisharpTables.Bridge, CnisharpTables.Name, PortsSet,
            [new NftElement(NftKey.IfName(hostPort)) { Comment = owner.Comment }], $"{{ \"{hostPort}\" }}");
        batch.AddElements(CnisharpTables.Bridge, CnisharpTables.Name, AllowedSet,
            [new NftElement(NftKey.Concat(NftKey.IfName(hostPort), NftKey.Ether(mac))) { Comment = owner.Comment }],
            $"{{ \"{hostPort}\" . {mac} }}");
        batch.Commit();
    }

    private static void WriteStructure(NftBatch batch, bool exclusive)
    {
        batch.AddTable(CnisharpTables.Bridge, CnisharpTables.Name);
        batch.AddSet(CnisharpTables.Bridge, CnisharpTables.Name, new NftSetSpec(PortsSet, NftDataType.IfName, NftKey.IfNameLength), exclusive);
        batch.AddSet(CnisharpTables.Bridge, CnisharpTables.Name, new NftSetSpec(AllowedSet,
            NftDataType.Concat(NftDataType.IfName, NftDataType.EtherAddress), NftKey.IfNameLength + NftKey.Padded(6)), exclusive);
        batch.AddChain(CnisharpTables.Bridge, CnisharpTables.Name, Chain, new NftBaseChain("filter", NftHook.Prerouting, NftBaseChain.BridgeDstNat));
        using NftRuleWriter rule = batch.AddRule(CnisharpTables.Bridge, CnisharpTables.Name, Chain,
            $"iifname @{PortsSet} iifname . ether saddr != @{AllowedSet} drop");
        rule.Meta(NftMetaKey.IifName, NftRegister.R1).Lookup(NftRegister.R1, PortsSet)
            .Meta(NftMetaKey.IifName, NftRegister.R1)
            .Payload(NftPayloadBase.LinkLayerHeader, 6, 6, NftRegister.R2)
            .Lookup(NftRegister.R1, AllowedSet, inverted: true)
            .Verdict(NftVerdict.Drop);
    }
}
