using CniSharp.Ip;
using k8s.Models;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>A Node's pod subnets: <c>spec.podCIDRs</c> (one per family in a dual-stack cluster), else <c>spec.podCIDR</c>.</summary>
internal static class NodeSubnets
{
    /// <summary>The node's subnets, IPv4 first; empty when none is allocated yet.</summary>
    /// <exception cref="FormatException">A podCIDR is not a network prefix.</exception>
    public static IReadOnlyList<IPPrefix> Of(V1Node node)
    {
        IEnumerable<string> cidrs = node.Spec?.PodCIDRs is { Count: > 0 } list
            ? list
            : string.IsNullOrEmpty(node.Spec?.PodCIDR) ? [] : [node.Spec.PodCIDR];
        var subnets = new List<IPPrefix>();
        foreach (string cidr in cidrs)
        {
            if (!IPPrefix.TryParse(cidr, out IPPrefix subnet) || !subnet.Network.Equals(subnet))
                throw new FormatException($"Node {node.Metadata?.Name} has podCIDR \"{cidr}\", which is not a network prefix");
            if (!subnets.Contains(subnet)) subnets.Add(subnet);
        }
        return subnets.OrderBy(s => s.IsIPv4 ? 0 : 1).ToList();
    }
}
