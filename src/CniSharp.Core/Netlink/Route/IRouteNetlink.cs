using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CniSharp.Ip;

namespace CniSharp.Netlink.Route;

/// <summary>
/// rtnetlink verbs, one per ip(8) command, acting on the namespace the instance was opened in
/// (a netlink socket belongs to the namespace that created it). Failures throw <see cref="NetlinkException"/>.
/// </summary>
internal partial interface IRouteNetlink : IDisposable
{
    // ---- links ----

    /// <summary>Equivalent to: ip link show {name}. Null when there is no such link.</summary>
    LinkInfo? GetLink(string name);

    /// <summary>Equivalent to: ip link show (by index). Null when there is no such link.</summary>
    LinkInfo? GetLink(int index);

    /// <summary>Equivalent to: ip link show.</summary>
    IReadOnlyList<LinkInfo> ListLinks();

    /// <summary>Equivalent to: ip link add {name} [mtu N] type bridge [vlan_filtering 1]. Throws with EEXIST if present.</summary>
    void AddBridge(string name, int? mtu, bool vlanFiltering);

    /// <summary>
    /// Equivalent to: ip link add {name} [mtu] [address] type veth peer name {peer} [mtu] [address] netns {fd}.
    /// The first end stays in this socket's namespace; the peer is created directly in <see cref="VethRequest.PeerNamespace"/>.
    /// </summary>
    void AddVeth(VethRequest request);

    /// <summary>Equivalent to: ip link del (by index).</summary>
    void DeleteLink(int index);

    /// <summary>Equivalent to: ip link set {index} up / down.</summary>
    void SetLinkUp(int index, bool up = true);

    /// <summary>Equivalent to: ip link set {index} master {masterIndex}.</summary>
    void SetMaster(int index, int masterIndex);

    /// <summary>Equivalent to: ip link set {index} mtu {mtu}.</summary>
    void SetMtu(int index, int mtu);

    /// <summary>Equivalent to: ip link set {index} address {mac}.</summary>
    void SetMacAddress(int index, PhysicalAddress mac);

    /// <summary>Equivalent to: ip link set {index} promisc on|off.</summary>
    void SetPromiscuous(int index, bool on);

    /// <summary>Equivalent to: ip link set {index} alias {alias}.</summary>
    void SetAlias(int index, string alias);

    /// <summary>Equivalent to: ip link set {bridge} type bridge vlan_filtering 1|0.</summary>
    void SetBridgeVlanFiltering(int bridgeIndex, bool on);

    /// <summary>Equivalent to: bridge link set dev {index} [hairpin on|off] [isolated on|off].</summary>
    void SetBridgePort(int index, bool? hairpin = null, bool? isolated = null);

    /// <summary>
    /// Equivalent to: ip link add {name} type vxlan id {vni} [dev {parent}] [local {ip}] nolearning|learning dstport {port}.
    /// Throws with EEXIST if present.
    /// </summary>
    void AddVxlan(VxlanRequest request);

    /// <summary>
    /// Waits, event-driven (RTNLGRP_LINK), until the link's operstate is UP. Returns the last operstate seen,
    /// which is <see cref="OperState.Up"/> on success and anything else when the timeout passed first.
    /// </summary>
    OperState WaitForOperUp(int index, TimeSpan timeout);

    // ---- addresses ----

    /// <summary>Equivalent to: ip addr show [dev index] — all families when family is Unspecified.</summary>
    IReadOnlyList<AddressInfo> ListAddresses(int? index = null, AddressFamily family = AddressFamily.Unspecified);

    /// <summary>Equivalent to: ip addr add {address} dev {index} [nodad]. IPv4 gets a broadcast address below /31.</summary>
    void AddAddress(int index, IPPrefix address, AddressFlags flags = AddressFlags.None);

    /// <summary>Equivalent to: ip addr del {address} dev {index}.</summary>
    void DeleteAddress(int index, IPPrefix address);

    // ---- routes ----

    /// <summary>Equivalent to: ip route show table {table} (main when null), one family.</summary>
    IReadOnlyList<RouteInfo> ListRoutes(AddressFamily family, int? table = null);

    /// <summary>Equivalent to: ip route add|append {route}. Append adds an ECMP sibling instead of failing with EEXIST.</summary>
    void AddRoute(RouteRequest route, bool append = false);

    /// <summary>Equivalent to: ip route del {route}.</summary>
    void DeleteRoute(RouteRequest route);

    // ---- neighbours and forwarding database ----

    /// <summary>Equivalent to: ip neigh replace {address} lladdr {mac} dev {index} nud permanent.</summary>
    void ReplaceNeighbor(int index, IPAddress address, PhysicalAddress mac);

    /// <summary>Equivalent to: ip neigh del {address} dev {index}. Throws with ENOENT when there is none.</summary>
    void DeleteNeighbor(int index, IPAddress address);

    /// <summary>Equivalent to: ip -4|-6 neigh show dev {index}.</summary>
    IReadOnlyList<NeighborInfo> ListNeighbors(int index, AddressFamily family);

    /// <summary>Equivalent to: bridge fdb append {mac} dev {index} dst {remote} self permanent.</summary>
    void AppendFdb(int index, PhysicalAddress mac, IPAddress remote);

    /// <summary>Equivalent to: bridge fdb replace {mac} dev {index} dst {remote} self permanent.</summary>
    void ReplaceFdb(int index, PhysicalAddress mac, IPAddress remote);

    /// <summary>Equivalent to: bridge fdb del {mac} dev {index} dst {remote} self. Throws with ENOENT when there is none.</summary>
    void DeleteFdb(int index, PhysicalAddress mac, IPAddress remote);

    /// <summary>Equivalent to: bridge fdb show dev {index}.</summary>
    IReadOnlyList<NeighborInfo> ListFdb(int index);
}

