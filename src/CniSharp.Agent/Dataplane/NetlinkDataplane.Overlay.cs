using System.Net.Sockets;
using CniSharp.Ip;
using CniSharp.Netlink.Route;

namespace CniSharp.Agent.Dataplane;

internal sealed partial class NetlinkDataplane
{
    private const RouteProtocol AgentProtocol = (RouteProtocol)AgentRoute.Protocol;

    public VxlanDevice? FindVxlan(string name)
    {
        VxlanLinkInfo? link = _netlink.GetVxlan(name);
        if (link is null)
        {
            // Something else by that name (not vxlan) stands in the way: report it as a device that matches
            // nothing, so the reconciler replaces it.
            return _netlink.GetLink(name) is { } other
                ? new VxlanDevice(other.Index, other.Name, other.Mac ?? new System.Net.NetworkInformation.PhysicalAddress([]), -1, 0, null, null, other.Mtu, true, other.IsUp)
                : null;
        }
        return new VxlanDevice(link.Index, link.Name, link.Mac!, (int)link.Vni, link.Port, link.Local, link.ParentIndex,
            link.Mtu, link.Learning, link.IsUp);
    }

    public VxlanDevice CreateVxlan(VxlanSpec spec)
    {
        _netlink.AddVxlan(new VxlanRequest
        {
            Name = spec.Name,
            Vni = (uint)spec.Vni,
            Port = (ushort)spec.Port,
            Local = spec.Local,
            ParentIndex = spec.UnderlayIndex,
            Learning = false,
            Mtu = spec.Mtu,
            Mac = spec.Mac,
        });
        return FindVxlan(spec.Name) ?? throw new InvalidOperationException($"vxlan device {spec.Name} vanished right after creation");
    }

    public IReadOnlyList<AgentRoute> ListRoutes()
    {
        int? vxlan = _netlink.GetVxlan(VxlanSpec.DefaultName)?.Index;
        var routes = new List<AgentRoute>();
        foreach (AddressFamily family in Families)
        {
            foreach (RouteInfo r in _netlink.ListRoutes(family, AgentProtocol))
            {
                if (r.Gateway is null || r.OutIndex is null) continue;
                // The agent's routes through the VXLAN device are all onlink, and only those.
                routes.Add(new AgentRoute(r.Dst, r.Gateway, r.OutIndex.Value, OnLink: r.OutIndex == vxlan));
            }
        }
        return routes;
    }

    public void ReplaceRoute(AgentRoute route) =>
        _netlink.ReplaceRoute(new RouteRequest { Dst = route.Dst, Gateway = route.Gateway, OutIndex = route.OutIndex }, AgentProtocol, route.OnLink);

    public void DeleteRoute(AgentRoute route) =>
        _netlink.DeleteRoute(new RouteRequest { Dst = route.Dst, Gateway = route.Gateway, OutIndex = route.OutIndex });

    public IReadOnlyList<NeighbourEntry> ListNeighbours(int index) =>
        Families.SelectMany(f => _netlink.ListNeighbors(index, f))
            .Where(n => n.Address is not null && n.Mac is not null && (n.State & NeighborState.Permanent) != 0)
            .Select(n => new NeighbourEntry(index, n.Address!, n.Mac!))
            .ToList();

    public void ReplaceNeighbour(NeighbourEntry neighbour) => _netlink.ReplaceNeighbor(neighbour.Index, neighbour.Address, neighbour.Mac);

    public void DeleteNeighbour(NeighbourEntry neighbour) => _netlink.DeleteNeighbor(neighbour.Index, neighbour.Address);

    public IReadOnlyList<FdbEntry> ListFdb(int index) =>
        _netlink.ListFdb(index)
            .Where(e => e.Index == index && e.Address is not null && e.Mac is not null)
            .Select(e => new FdbEntry(index, e.Mac!, e.Address!))
            .ToList();

    public void AppendFdb(FdbEntry entry) => _netlink.AppendFdb(entry.Index, entry.Mac, entry.Destination);

    public void DeleteFdb(FdbEntry entry) => _netlink.DeleteFdb(entry.Index, entry.Mac, entry.Destination);
}
