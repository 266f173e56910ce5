using System.Net;
using CniSharp.Ip;

namespace CniSharp.Agent.Dataplane;

/// <summary>
/// The kernel state the agent programs, in the node's network namespace: the underlay, the VXLAN device, and
/// the routes, neighbours and FDB entries it owns. <see cref="NetlinkDataplane"/> is the kernel;
/// tests use an in-memory one. Every list returns only what the agent owns (route protocol
/// <see cref="AgentRoute.Protocol"/>; neighbours and FDB entries of its own VXLAN device).
/// </summary>
internal interface IDataplane : IDisposable
{
    /// <summary>The underlay: <paramref name="iface"/>, or the link holding <paramref name="publicIp"/>, or the default route's link.</summary>
    Underlay DetectUnderlay(string? iface, IPAddress? publicIp);

    VxlanDevice? FindVxlan(string name);

    /// <summary>ip link add {name} type vxlan id {vni} dstport {port} local {local} dev {underlay} nolearning; mtu; up.</summary>
    VxlanDevice CreateVxlan(VxlanSpec spec);

    void SetMtu(int index, int mtu);

    void SetUp(int index);

    void DeleteLink(int index);

    /// <summary>The addresses of a link (to put the node's VTEP address on the VXLAN device once).</summary>
    IReadOnlyList<IPPrefix> ListAddresses(int index);

    void AddAddress(int index, IPPrefix address);

    IReadOnlyList<AgentRoute> ListRoutes();

    /// <summary>ip route replace: atomic, so a changed next hop never leaves a gap.</summary>
    void ReplaceRoute(AgentRoute route);

    void DeleteRoute(AgentRoute route);

    IReadOnlyList<NeighbourEntry> ListNeighbours(int index);

    /// <summary>ip neigh replace {address} lladdr {mac} dev {index} nud permanent.</summary>
    void ReplaceNeighbour(NeighbourEntry neighbour);

    void DeleteNeighbour(NeighbourEntry neighbour);

    IReadOnlyList<FdbEntry> ListFdb(int index);

    /// <summary>bridge fdb append {mac} dev {index} dst {destination} (self permanent).</summary>
    void AppendFdb(FdbEntry entry);

    void DeleteFdb(FdbEntry entry);
}
