using System.Text.RegularExpressions;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>
/// What CniSharp's nf_tables tables hold, read with nft(8), and their cleanup after a test network: the
/// network's elements (through the product's own GC, with nothing valid), then its masquerade rules and sets.
/// </summary>
public static partial class NftState
{
    // CniSharp's tables as they were before the first test network: what the run made goes when it ends.
    private static readonly bool TablesExistedBefore = Ruleset().Contains("table inet cnisharp", StringComparison.Ordinal);

    static NftState() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveTablesIfOurs();

    /// <summary>Takes the snapshot of the tables (call before anything can create them).</summary>
    public static void Snapshot() => _ = TablesExistedBefore;

    /// <summary>nft list ruleset, all tables.</summary>
    public static string Ruleset() => Shell.Run("nft", ["list", "ruleset"]).Stdout;

    /// <summary>"containerId/ifname" of every element of <paramref name="network"/> (owner comments), with repeats.</summary>
    public static List<string> Owners(string network, string? ruleset = null)
    {
        string prefix = ElementOwner.NetworkTag(network) + "/";
        return Comment().Matches(ruleset ?? Ruleset()).Select(m => m.Groups[1].Value)
            .Where(c => c.StartsWith(prefix, StringComparison.Ordinal)).Select(c => c[prefix.Length..]).ToList();
    }

    /// <summary>Removes everything a test network left in the tables; runs in Dispose, so it never throws.</summary>
    public static void RemoveNetwork(string network)
    {
        try
        {
            string tag = ElementOwner.NetworkTag(network);
            if (!Ruleset().Contains(tag, StringComparison.Ordinal)) return;
            using (NfTables nft = NfTables.Open())
            {
                Masquerade.Gc(nft, network, (_, _) => false);
                HostPorts.Gc(nft, network, (_, _) => false);
                SpoofCheck.Gc(nft, network, (_, _) => false);
            }
            string chain = Shell.Run("nft", ["-a", "list", "chain", "inet", "cnisharp", Masquerade.Chain]).Stdout;
            foreach (Match rule in RuleHandle().Matches(chain))
            {
                if (rule.Groups[1].Value.Contains($"-{tag} ", StringComparison.Ordinal) || rule.Groups[1].Value.EndsWith($"-{tag}", StringComparison.Ordinal))
                    Shell.Run("nft", ["delete", "rule", "inet", "cnisharp", Masquerade.Chain, "handle", rule.Groups[2].Value]);
            }
            foreach (System.Net.Sockets.AddressFamily family in CnisharpTables.Families)
            {
                foreach (string set in (string[])[Masquerade.PodsSet(network, family), Masquerade.ExemptSet(network, family), Masquerade.SubnetsSet(network, family)])
                    Shell.Run("nft", ["delete", "set", "inet", "cnisharp", set]);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: a table that was never made is the common case.
        }
    }

    private static void RemoveTablesIfOurs()
    {
        if (TablesExistedBefore) return;
        Shell.Run("nft", ["delete", "table", "inet", "cnisharp"]);
        Shell.Run("nft", ["delete", "table", "bridge", "cnisharp"]);
    }

    [GeneratedRegex("comment \"([^\"]*)\"")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^\s*(.*) # handle (\d+)$", RegexOptions.Multiline)]
    private static partial Regex RuleHandle();
}
