using System.Net.Sockets;
using CniSharp.Ip;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// Node-wide masquerade, the node agent's (its conflist keeps ipMasq false): in "inet cnisharp", one rule per
/// family, <c>ip saddr @node-masq-src4 ip daddr != @node-masq-exempt4 masquerade</c>, with the node's pod subnets
/// as one interval set and the destinations that keep the pod's source (cluster CIDRs, every node's subnet,
/// multicast and broadcast) as another. Its own chain and sets, beside the per-network ones of
/// <see cref="Masquerade"/>: a sync rewrites only a set whose content changed, flush and refill in one
/// transaction, so no packet ever sees a half-written set and an unchanged node writes nothing.
/// </summary>
internal static class NodeMasquerade
{
    public const string Chain = "node-masq-postrouting";

    public static string SourcesSet(AddressFamily family) => $"node-masq-src{CnisharpTables.Suffix(family)}";

    public static string ExemptSet(AddressFamily family) => $"node-masq-exempt{CnisharpTables.Suffix(family)}";

    /// <summary>Every set's wanted elements: the sources, and the exempt destinations plus multicast and broadcast.</summary>
    public static Dictionary<string, List<NftElement>> Desired(IReadOnlyList<IPPrefix> sources, IReadOnlyList<IPPrefix> exempt)
    {
        List<IPPrefix> allExempt = [.. exempt, .. Masquerade.AlwaysExempt];
        var sets = new Dictionary<string, List<NftElement>>(StringComparer.Ordinal);
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            sets[SourcesSet(family)] = IntervalElements.Of(sources, family);
            sets[ExemptSet(family)] = IntervalElements.Of(allExempt, family);
        }
        return sets;
    }

    /// <summary>
    /// Makes the kernel match (idempotent): creates chain, sets and rules when absent, rewrites a set whose content
    /// differs, and sends nothing when all is as wanted (a restarted agent adopts its predecessor's rules).
    /// Returns whether anything was written.
    /// </summary>
    public static bool Sync(NfTables nft, IReadOnlyList<IPPrefix> sources, IReadOnlyList<IPPrefix> exempt)
    {
        Dictionary<string, List<NftElement>> wanted = Desired(sources, exempt);
        // Every listing first: a request shares the socket's buffer with the transaction being built.
        bool missing = false;
        var stale = new List<string>();
        foreach ((string set, List<NftElement> elements) in wanted)
        {
            List<NftElement>? current = nft.ListElements(CnisharpTables.Inet, CnisharpTables.Name, set);
            if (current is null)
            {
                missing = true;
                break;
            }
            if (!IntervalElements.Same(current, elements)) stale.Add(set);
        }
        if (!missing && stale.Count == 0) return false;
        NftBatch batch = nft.Begin();
        if (missing)
        {
            // Part of it gone (the table deleted by hand): everything made again, the chain emptied first so a
            // surviving rule is not doubled.
            WriteStructure(batch);
            stale.Clear();
            stale.AddRange(wanted.Keys);
        }
        foreach (string set in stale)
        {
            batch.FlushSet(CnisharpTables.Inet, CnisharpTables.Name, set);
            // An empty list is EINVAL to the kernel: a family without pod subnets keeps an empty source set.
            if (wanted[set].Count > 0)
                batch.AddElements(CnisharpTables.Inet, CnisharpTables.Name, set, wanted[set]);
        }
        if (missing) WriteRules(batch);
        batch.Commit();
        return true;
    }

    private static NftBaseChain Hook => new("nat", NftHook.Postrouting, NftBaseChain.SrcNat);

    private static void WriteStructure(NftBatch batch)
    {
        batch.AddTable(CnisharpTables.Inet, CnisharpTables.Name);
        batch.AddChain(CnisharpTables.Inet, CnisharpTables.Name, Chain, Hook);
        batch.FlushChain(CnisharpTables.Inet, CnisharpTables.Name, Chain);
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            uint type = NftKey.AddressType(family);
            int length = NftKey.AddressLength(family);
            batch.AddSet(CnisharpTables.Inet, CnisharpTables.Name, new NftSetSpec(SourcesSet(family), type, length) { Flags = NftSetFlags.Interval });
            batch.AddSet(CnisharpTables.Inet, CnisharpTables.Name, new NftSetSpec(ExemptSet(family), type, length) { Flags = NftSetFlags.Interval });
        }
    }

    private static void WriteRules(NftBatch batch)
    {
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            string ip = family == AddressFamily.InterNetwork ? "ip" : "ip6";
            string sources = SourcesSet(family), exempt = ExemptSet(family);
            using NftRuleWriter rule = batch.AddRule(CnisharpTables.Inet, CnisharpTables.Name, Chain,
                $"{ip} saddr @{sources} {ip} daddr != @{exempt} masquerade");
            rule.IsFamily(family)
                .LoadSource(family, NftRegister.R1).Lookup(NftRegister.R1, sources)
                .LoadDestination(family, NftRegister.R1).Lookup(NftRegister.R1, exempt, inverted: true)
                .Masquerade();
        }
    }
}
