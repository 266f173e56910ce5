using System.Net.Sockets;
using CniSharp.Interop;
using CniSharp.Ip;
using CniSharp.Netlink;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// ipMasq for a network, in "inet cnisharp": one rule per network and family,
/// <c>ip saddr @masq-pods4-N ip daddr != @masq-exempt4-N ip daddr != @masq-subnets4-N masquerade</c>, with the
/// pods as elements (owner in the comment), the exempt destinations as an interval set (the configured
/// nonMasqueradeCIDRs plus multicast and limited broadcast, rewritten when they change) and the network's own
/// subnets, as its pods report them, as another. ADD and DEL touch one pod's elements; the sets and the rule
/// are made by the first ADD, in the same transaction, once (the sets are created exclusively).
/// </summary>
internal static class Masquerade
{
    public const string Chain = "masq-postrouting";

    /// <summary>Never masqueraded, whatever the configuration: multicast, and the limited broadcast address.</summary>
    public static readonly IPPrefix[] AlwaysExempt =
        [IPPrefix.Parse("224.0.0.0/4"), IPPrefix.Parse("255.255.255.255/32"), IPPrefix.Parse("ff00::/8")];

    public static string PodsSet(string network, AddressFamily family) => $"masq-pods{CnisharpTables.Suffix(family)}-{ElementOwner.NetworkTag(network)}";

    public static string ExemptSet(string network, AddressFamily family) => $"masq-exempt{CnisharpTables.Suffix(family)}-{ElementOwner.NetworkTag(network)}";

    public static string SubnetsSet(string network, AddressFamily family) => $"masq-subnets{CnisharpTables.Suffix(family)}-{ElementOwner.NetworkTag(network)}";

    /// <summary>Masquerades the pod's addresses from now on (idempotent).</summary>
    /// <remarks>
    /// The exempt sets are read first and rewritten only when the configuration changed them: a transaction
    /// that deletes anything leaves the kernel freeing it after an RCU grace period, and closing the socket
    /// waits for that (about 10 ms), so an ADD that only adds closes at once.
    /// </remarks>
    public static void AddPod(NfTables nft, ElementOwner owner, IReadOnlyList<IPPrefix> addresses, IReadOnlyList<IPPrefix> nonMasquerade)
    {
        List<IPPrefix> exempt = [.. nonMasquerade, .. AlwaysExempt];
        var stale = new List<AddressFamily>();
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            List<NftElement>? current = nft.ListElements(CnisharpTables.Inet, CnisharpTables.Name, ExemptSet(owner.Network, family));
            if (current is null)
            {
                // First pod of the network (or of the host): the sets and the rule come in the same transaction.
                try
                {
                    Commit(nft, owner, addresses, exempt, CnisharpTables.Families, withStructure: true);
                    return;
                }
                catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
                {
                    // Another ADD made them first; go on as a later pod.
                    stale.Clear();
                    stale.AddRange(CnisharpTables.Families);
                    break;
                }
            }
            if (!IntervalElements.Same(current, IntervalElements.Of(exempt, family)))
                stale.Add(family);
        }
        Commit(nft, owner, addresses, exempt, stale, withStructure: false);
    }

    /// <summary>Stops masquerading the attachment's addresses, found by owner (no address or netns needed).</summary>
    public static void RemovePod(NfTables nft, ElementOwner owner) =>
        OwnedElements.Remove(nft, CnisharpTables.Inet, CnisharpTables.Name, PodSets(owner.Network), owner.Owns);

    /// <summary>Removes the pods of <paramref name="network"/> that <paramref name="keep"/> rejects (GC).</summary>
    public static void Gc(NfTables nft, string network, Func<string, string, bool> keep) =>
        OwnedElements.Remove(nft, CnisharpTables.Inet, CnisharpTables.Name, PodSets(network),
            c => ElementOwner.TryParse(c, network, out string id, out string ifName) && !keep(id, ifName));

    /// <summary>
    /// Has the kernel check, without applying anything, the transaction a first ADD would send: every
    /// expression, hook and set type it needs. Throws <see cref="NetlinkException"/> when something is missing.
    /// </summary>
    public static void Validate(NfTables nft)
    {
        NftBatch batch = nft.Begin();
        WriteStructure(batch, "cnisharp-probe", exclusive: false);
        batch.Validate();
    }

    private static IReadOnlyList<string> PodSets(string network) =>
        [PodsSet(network, AddressFamily.InterNetwork), PodsSet(network, AddressFamily.InterNetworkV6)];

    private static void Commit(NfTables nft, ElementOwner owner, IReadOnlyList<IPPrefix> addresses,
        List<IPPrefix> exempt, IReadOnlyList<AddressFamily> rewriteExempt, bool withStructure)
    {
        NftBatch batch = nft.Begin();
        if (withStructure)
            WriteStructure(batch, owner.Network, exclusive: true);
        foreach (AddressFamily family in rewriteExempt)
        {
            // Derived from the configuration alone: rewritten whole, a changed nonMasqueradeCIDRs takes effect
            // with the next pod.
            if (!withStructure)
                batch.FlushSet(CnisharpTables.Inet, CnisharpTables.Name, ExemptSet(owner.Network, family));
            batch.AddElements(CnisharpTables.Inet, CnisharpTables.Name, ExemptSet(owner.Network, family),
                IntervalElements.Of(exempt, family), "{ nonMasqueradeCIDRs, multicast, broadcast }");
        }
        foreach (IPPrefix address in addresses)
        {
            batch.AddElements(CnisharpTables.Inet, CnisharpTables.Name, PodsSet(owner.Network, address.Family),
                [new NftElement(NftKey.Address(address.Address)) { Comment = owner.Comment }], $"{{ {address.Address} }}");
            // Only add what the exempt set does not cover: the kernel refuses overlapping intervals.
            if (!exempt.Any(e => e.Family == address.Family && e.PrefixLength <= address.PrefixLength && e.Contains(address.Address)))
                batch.AddElements(CnisharpTables.Inet, CnisharpTables.Name, SubnetsSet(owner.Network, address.Family),
                    IntervalElements.Of([address.Network], address.Family), $"{{ {address.Network} }}");
        }
        batch.Commit();
    }

    private static void WriteStructure(NftBatch batch, string network, bool exclusive)
    {
        batch.AddTable(CnisharpTables.Inet, CnisharpTables.Name);
        batch.AddChain(CnisharpTables.Inet, CnisharpTables.Name, Chain, new NftBaseChain("nat", NftHook.Postrouting, NftBaseChain.SrcNat));
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            uint type = NftKey.AddressType(family);
            int length = NftKey.AddressLength(family);
            string pods = PodsSet(network, family), exempt = ExemptSet(network, family), subnets = SubnetsSet(network, family);
            batch.AddSet(CnisharpTables.Inet, CnisharpTables.Name, new NftSetSpec(pods, type, length), exclusive);
            batch.AddSet(CnisharpTables.Inet, CnisharpTables.Name, new NftSetSpec(exempt, type, length) { Flags = NftSetFlags.Interval }, exclusive);
            batch.AddSet(CnisharpTables.Inet, CnisharpTables.Name, new NftSetSpec(subnets, type, length) { Flags = NftSetFlags.Interval }, exclusive);
            string ip = family == AddressFamily.InterNetwork ? "ip" : "ip6";
            using NftRuleWriter rule = batch.AddRule(CnisharpTables.Inet, CnisharpTables.Name, Chain,
                $"{ip} saddr @{pods} {ip} daddr != @{exempt} {ip} daddr != @{subnets} masquerade");
            rule.IsFamily(family)
                .LoadSource(family, NftRegister.R1).Lookup(NftRegister.R1, pods)
                .LoadDestination(family, NftRegister.R1).Lookup(NftRegister.R1, exempt, inverted: true)
                .LoadDestination(family, NftRegister.R1).Lookup(NftRegister.R1, subnets, inverted: true)
                .Masquerade();
        }
    }
}
