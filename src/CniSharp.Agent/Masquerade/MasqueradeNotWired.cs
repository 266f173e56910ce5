using CniSharp.Ip;
using Serilog;

namespace CniSharp.Agent.Masquerade;

/// <summary>
/// The stand-in until the nftables layer exists: programs nothing and warns once, so nobody mistakes a node
/// without masquerade for one with it (pods reach other pods; traffic to outside the cluster is not NATed).
/// </summary>
internal sealed class MasqueradeNotWired(ILogger log) : IMasquerade
{
    private bool _warned;

    public void Sync(IReadOnlyList<IPPrefix> localSubnets, IReadOnlyList<IPPrefix> exempt)
    {
        if (_warned) return;
        _warned = true;
        log.Warning("Masquerade is not wired in this build (needs the nftables layer): pod traffic leaving the cluster CIDR is NOT masqueraded");
    }
}
