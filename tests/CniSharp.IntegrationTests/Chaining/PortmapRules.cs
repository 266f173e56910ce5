using System.Text.RegularExpressions;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// Reads and cleans up the reference portmap's nat rules for one container in one family (iptables or ip6tables).
/// portmap tags the jump from CNI-HOSTPORT-DNAT with `dnat name: "&lt;network&gt;" id: "&lt;containerId&gt;"`, and that
/// jump names the container's own CNI-DN-* chain. Dispose removes both whatever the test did, and removes the
/// shared CNI-HOSTPORT-* chains only when they did not exist before the test and no container uses them now.
/// </summary>
internal sealed partial class PortmapRules : IDisposable
{
    private static readonly string[] SharedChains = ["CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-SETMARK", "CNI-HOSTPORT-MASQ"];

    private readonly string _containerId;
    private readonly string _tool;
    private readonly bool _sharedChainsExisted;
    private readonly bool _natTableExisted;

    public PortmapRules(string containerId, bool v6 = false)
    {
        _containerId = containerId;
        _tool = v6 ? "ip6tables" : "iptables";
        _sharedChainsExisted = SharedChains.Any(ChainExists);
        _natTableExisted = Shell.Run("nft", ["list", "table", NftFamily, "nat"]).ExitCode == 0;
    }

    /// <summary>iptables-nft keeps the nat table in nftables' "ip" (or "ip6") family.</summary>
    private string NftFamily => _tool == "ip6tables" ? "ip6" : "ip";

    /// <summary>`iptables-save -t nat` (or ip6tables-save) as text.</summary>
    public string NatRules()
    {
        Shell.Output o = Shell.Run(_tool + "-save", ["-t", "nat"]);
        if (o.ExitCode != 0) throw new InvalidOperationException($"{_tool}-save failed: {o.Stderr}\n");
        return o.Stdout;
    }

    /// <summary>The "-A CNI-HOSTPORT-DNAT ..." jumps tagged with this container.</summary>
    public List<string> DnatJumps() =>
        Lines().Where(l => l.StartsWith("-A CNI-HOSTPORT-DNAT ") && l.Contains($"id: \\\"{_containerId}\\\"")).ToList();

    /// <summary>The container's CNI-DN-* chains (targets of its tagged jumps).</summary>
    public List<string> DnChains() =>
        DnatJumps().Select(l => JumpTarget().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>The "-A &lt;chain&gt; ..." rules of one chain.</summary>
    public List<string> RulesOf(string chain) => Lines().Where(l => l.StartsWith($"-A {chain} ")).ToList();

    public bool ChainExists(string chain) => Lines().Any(l => l.StartsWith($":{chain} "));

    public void Dispose()
    {
        List<string> chains = DnChains();
        foreach (string jump in DnatJumps())
            Delete(jump);
        foreach (string chain in chains)
        {
            Run("-F", chain);
            Run("-X", chain);
        }
        if (!_sharedChainsExisted && ChainExists("CNI-HOSTPORT-DNAT") && RulesOf("CNI-HOSTPORT-DNAT").Count == 0)
            RemoveSharedChains();
        // iptables-nft created the (then empty) nat table for portmap: take it away again if nothing is in it.
        if (!_natTableExisted && !Lines().Any(l => l.StartsWith("-A ", StringComparison.Ordinal)))
            Shell.Run("nft", ["delete", "table", NftFamily, "nat"]);
    }

    private void RemoveSharedChains()
    {
        foreach (string builtin in (string[])["PREROUTING", "OUTPUT", "POSTROUTING"])
            foreach (string rule in RulesOf(builtin).Where(r => SharedChains.Any(c => r.EndsWith($"-j {c}"))))
                Delete(rule);
        foreach (string chain in SharedChains)
        {
            Run("-F", chain);
            Run("-X", chain);
        }
    }

    /// <summary>An iptables-save "-A chain spec" line (its quoting is the shell's) deleted as "-D chain spec".</summary>
    private void Delete(string rule)
    {
        Shell.Output o = Shell.Run("sh", ["-c", $"{_tool} -t nat -D {rule[3..]}"]);
        if (o.ExitCode != 0) Console.Error.WriteLine($"portmap cleanup: {_tool} -D {rule[3..]}: {o.Stderr}");
    }

    private void Run(params string[] args) => Shell.Run(_tool, ["-t", "nat", .. args]);

    private string[] Lines() => NatRules().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"-j (CNI-DN-[0-9a-f]+)")]
    private static partial Regex JumpTarget();
}
