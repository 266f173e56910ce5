using CniSharp.Ip;

namespace CniSharp.Agent.Masquerade;

/// <summary>
/// The node's masquerade: pod traffic leaving the cluster is masqueraded once per node (the conflist sets ipMasq
/// false), exempting the cluster CIDRs and every node's subnet. <see cref="NftablesMasquerade"/> in the agent,
/// a recording fake in tests.
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
