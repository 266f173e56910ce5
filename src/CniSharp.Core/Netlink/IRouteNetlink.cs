using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CniSharp.Ip;

namespace CniSharp.Netlink;

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
}

/// <summary>IFF_* link flags (linux/if.h).</summary>
[Flags]
internal enum LinkFlags : uint
{
    None = 0,
    Up = 0x1,
    Broadcast = 0x2,
    Loopback = 0x8,
    PointToPoint = 0x10,
    Running = 0x40,
    NoArp = 0x80,
    Promisc = 0x100,
    AllMulti = 0x200,
    Multicast = 0x1000,
    LowerUp = 0x10000,
}

/// <summary>RFC 2863 operational state (IFLA_OPERSTATE).</summary>
internal enum OperState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}

/// <summary>IFA_F_* address flags (linux/if_addr.h).</summary>
[Flags]
internal enum AddressFlags : uint
{
    None = 0,
    Secondary = 0x01,
    NoDad = 0x02,
    Optimistic = 0x04,
    DadFailed = 0x08,
    HomeAddress = 0x10,
    Deprecated = 0x20,
    Tentative = 0x40,
    Permanent = 0x80,
    ManageTempAddr = 0x100,
    NoPrefixRoute = 0x200,
}

/// <summary>What the kernel reports about a link.</summary>
internal sealed record LinkInfo
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    /// <summary>IFLA_INFO_KIND: "bridge", "veth", ...; null for devices without one (lo, most NICs).</summary>
    public string? Kind { get; init; }
    public PhysicalAddress? Mac { get; init; }
    public int Mtu { get; init; }
    public LinkFlags Flags { get; init; }
    public OperState OperState { get; init; }
    /// <summary>IFLA_MASTER: the bridge this link is a port of.</summary>
    public int? MasterIndex { get; init; }
    /// <summary>IFLA_LINK: for a veth, the peer's ifindex (in the peer's namespace).</summary>
    public int? ParentIndex { get; init; }
    public string? Alias { get; init; }
    /// <summary>Bridge port hairpin mode (IFLA_BRPORT_MODE), when the link is a bridge port and the kernel reported it.</summary>
    public bool? Hairpin { get; init; }
    /// <summary>Bridge port isolation (IFLA_BRPORT_ISOLATED), when reported.</summary>
    public bool? Isolated { get; init; }
    /// <summary>For a bridge: IFLA_BR_VLAN_FILTERING, when reported.</summary>
    public bool? VlanFiltering { get; init; }

    public bool IsUp => (Flags & LinkFlags.Up) != 0;
}

internal sealed record AddressInfo(int Index, IPPrefix Address, byte Scope, AddressFlags Flags);

internal sealed record RouteInfo
{
    public required IPPrefix Dst { get; init; }
    public IPAddress? Gateway { get; init; }
    public int? OutIndex { get; init; }
    public int Table { get; init; }
    public byte Scope { get; init; }
    public byte Protocol { get; init; }
    public byte Type { get; init; }
    public int? Priority { get; init; }
    public IPAddress? PrefSrc { get; init; }
    public int? Mtu { get; init; }
    public int? AdvMss { get; init; }
}

/// <summary>A route to add or delete. Scope defaults to link for gateway-less routes, universe otherwise.</summary>
internal sealed record RouteRequest
{
    public required IPPrefix Dst { get; init; }
    public IPAddress? Gateway { get; init; }
    public int? OutIndex { get; init; }
    public int? Table { get; init; }
    public byte? Scope { get; init; }
    public int? Priority { get; init; }
    public IPAddress? PrefSrc { get; init; }
    public int? Mtu { get; init; }
    public int? AdvMss { get; init; }
}

internal sealed record VethRequest
{
    public required string Name { get; init; }
    public required string PeerName { get; init; }
    /// <summary>The namespace the peer is created in (IFLA_NET_NS_FD); null keeps it beside the first end.</summary>
    public SafeHandle? PeerNamespace { get; init; }
    public int? Mtu { get; init; }
    public PhysicalAddress? Mac { get; init; }
    public PhysicalAddress? PeerMac { get; init; }
}
