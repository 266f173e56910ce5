using System.Net;
using System.Net.Sockets;
using CniSharp.Ip;
using CniSharp.Netlink.Route;

namespace CniSharp.Agent.Dataplane;

/// <summary>
/// <see cref="IDataplane"/> on rtnetlink, in the agent's network namespace (the node's: the agent runs there).
/// </summary>
internal sealed partial class NetlinkDataplane : IDataplane
{
    private readonly RouteNetlink _netlink;

    private NetlinkDataplane(RouteNetlink netlink) => _netlink = netlink;

    public static NetlinkDataplane Open() => new(RouteNetlink.Open());

    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    public void Dispose() => _netlink.Dispose();

    public Underlay DetectUnderlay(string? iface, IPAddress? publicIp)
    {
        LinkInfo link;
        IReadOnlyList<AddressInfo> all = _netlink.ListAddresses();
        if (iface is not null)
        {
            link = _netlink.GetLink(iface) ?? throw new InvalidOperationException($"--iface {iface}: no such interface");
        }
        else if (publicIp is not null)
        {
            AddressInfo owner = all.FirstOrDefault(a => a.Address.Address.Equals(publicIp))
                ?? throw new InvalidOperationException($"--public-ip {publicIp} is not an address of this node");
            link = _netlink.GetLink(owner.Index)!;
        }
        else
        {
            RouteInfo? fallback = _netlink.ListRoutes(AddressFamily.InterNetwork).Concat(_netlink.ListRoutes(AddressFamily.InterNetworkV6))
                .FirstOrDefault(r => r.Dst.PrefixLength == 0 && r.OutIndex is not null);
            int index = fallback?.OutIndex ?? throw new InvalidOperationException(
                "no default route to find the underlay interface: give --iface or --public-ip");
            link = _netlink.GetLink(index)!;
        }
        // Global-scope addresses only: link-local ones cannot be next hops for another node's pods.
        List<AddressInfo> mine = all.Where(a => a.Index == link.Index && a.Scope == 0).ToList();
        IPAddress? v4 = publicIp is { AddressFamily: AddressFamily.InterNetwork } ? publicIp
            : mine.FirstOrDefault(a => a.Address.IsIPv4)?.Address.Address;
        IPAddress? v6 = publicIp is { AddressFamily: AddressFamily.InterNetworkV6 } ? publicIp
            : mine.FirstOrDefault(a => !a.Address.IsIPv4)?.Address.Address;
        return new Underlay(link.Name, link.Index, link.Mtu, v4, mine.Select(a => a.Address).ToList(), v6);
    }

    public void SetMtu(int index, int mtu) => _netlink.SetMtu(index, mtu);

    public void SetUp(int index) => _netlink.SetLinkUp(index);

    public void DeleteLink(int index) => _netlink.DeleteLink(index);

    public IReadOnlyList<IPPrefix> ListAddresses(int index) => _netlink.ListAddresses(index).Select(a => a.Address).ToList();

    public void AddAddress(int index, IPPrefix address) =>
        _netlink.AddAddress(index, address, address.IsIPv4 ? AddressFlags.None : AddressFlags.NoDad);
}
