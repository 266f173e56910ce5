using CniSharp.Ip;

namespace CniSharp.Agent.Masquerade;

/// <summary>
/// SEAM for issue 11's masquerade: pod traffic leaving the cluster CIDR is masqueraded once per node in
/// nftables, exempting the cluster CIDRs and every node's subnet (the conflist sets ipMasq false). The
/// implementation belongs on the nftables layer of the netfilter issue (issue 9), which does not exist yet:
/// until it is wired here the agent runs <see cref="MasqueradeNotWired"/> and says so in its log.
/// </summary>
internal interface IMasquerade
{
    /// <summary>
    /// Makes the node's masquerade rules match: masquerade what leaves <paramref name="localSubnets"/> for a
    /// destination outside <paramref name="exempt"/> (cluster CIDRs + every node's subnets). Called after every
    /// reconcile pass with the current sets; must be idempotent and cheap when nothing changed.
    /// </summary>
    void Sync(IReadOnlyList<IPPrefix> localSubnets, IReadOnlyList<IPPrefix> exempt);
}
