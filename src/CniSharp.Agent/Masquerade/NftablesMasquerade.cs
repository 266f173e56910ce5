using CniSharp.Ip;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;
using Serilog;

namespace CniSharp.Agent.Masquerade;

/// <summary>
/// The node's masquerade in nf_tables (<see cref="NodeMasquerade"/>): pod traffic leaving the cluster gets the
/// node's address, pod-to-pod traffic across nodes keeps its own. Left in place on SIGTERM, like the routes, and
/// adopted as it is by the next run. <c>leave</c> does not remove it: it may run anywhere, and a departed node's
/// rules only concern that node.
/// </summary>
internal sealed class NftablesMasquerade(ILogger log) : IMasquerade
{
    public void Sync(IReadOnlyList<IPPrefix> localSubnets, IReadOnlyList<IPPrefix> exempt)
    {
        using NfTables nft = NfTables.Open();
        if (NodeMasquerade.Sync(nft, localSubnets, exempt))
            log.Information("Masquerade: traffic from {Sources} to outside {Exempt} (and not to multicast or broadcast)",
                string.Join(", ", localSubnets), string.Join(", ", exempt.Distinct()));
    }
}
