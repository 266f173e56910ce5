using System.Net;
using System.Net.NetworkInformation;

namespace CniSharp.Agent.Datastore;

/// <summary>
/// What a node publishes for its peers, next to its subnets: how to reach it on the underlay and which backend
/// it runs. etcd: the JSON value of each of its subnet keys; Kubernetes: annotations on its Node.
/// </summary>
/// <param name="Node">The node name (<c>--node-name</c>), unique in the cluster.</param>
/// <param name="PublicIP">Its IPv4 underlay address (VXLAN endpoint, host-gw next hop for IPv4 subnets).</param>
/// <param name="PublicIPv6">Its IPv6 underlay address, when it has one (host-gw next hop for IPv6 subnets).</param>
/// <param name="Backend">The backend it runs.</param>
/// <param name="VtepMac">The MAC of its VXLAN device; null when its backend has no VXLAN device.</param>
internal sealed record NodeAttributes(
    string Node,
    IPAddress? PublicIP,
    IPAddress? PublicIPv6,
    BackendKind Backend,
    PhysicalAddress? VtepMac)
{
    public bool Equals(NodeAttributes? other) =>
        other is not null && Node == other.Node && Equals(PublicIP, other.PublicIP) &&
        Equals(PublicIPv6, other.PublicIPv6) && Backend == other.Backend && Equals(VtepMac, other.VtepMac);

    public override int GetHashCode() => HashCode.Combine(Node, PublicIP, PublicIPv6, Backend, VtepMac);
}
