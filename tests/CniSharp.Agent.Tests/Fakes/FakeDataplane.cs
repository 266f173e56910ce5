using System.Net;
using CniSharp.Agent.Dataplane;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Fakes;

/// <summary>An in-memory kernel for the reconciler: links, addresses, owned routes, neighbours, FDB; counts writes.</summary>
internal sealed class FakeDataplane : IDataplane
{
    public Underlay Underlay { get; set; } = new("eth0", 2, 1500, IPAddress.Parse("192.168.10.2"),
        [IPPrefix.Parse("192.168.10.2/24")], null);

    public Dictionary<string, VxlanDevice> Devices { get; } = [];
    public Dictionary<int, List<IPPrefix>> Addresses { get; } = [];
    public HashSet<AgentRoute> Routes { get; } = [];
    public HashSet<NeighbourEntry> Neighbours { get; } = [];
    public HashSet<FdbEntry> Fdb { get; } = [];
    public int Writes { get; private set; }
    private int _nextIndex = 10;

    public Underlay DetectUnderlay(string? iface, IPAddress? publicIp) => Underlay;

    public VxlanDevice? FindVxlan(string name) => Devices.GetValueOrDefault(name);

    public VxlanDevice CreateVxlan(VxlanSpec spec)
    {
        Writes++;
        var device = new VxlanDevice(_nextIndex++, spec.Name, spec.Mac, spec.Vni, spec.Port, spec.Local, spec.UnderlayIndex, spec.Mtu, false, false);
        Devices.Add(spec.Name, device);
        return device;
    }

    public void SetMtu(int index, int mtu) => Change(index, d => d with { Mtu = mtu });

    public void SetUp(int index) => Change(index, d => d with { Up = true });

    public void DeleteLink(int index)
    {
        Writes++;
        string name = Devices.Single(d => d.Value.Index == index).Key;
        Devices.Remove(name);
        // The kernel drops everything that hung off the device with it.
        Routes.RemoveWhere(r => r.OutIndex == index);
        Neighbours.RemoveWhere(n => n.Index == index);
        Fdb.RemoveWhere(f => f.Index == index);
        Addresses.Remove(index);
    }

    public IReadOnlyList<IPPrefix> ListAddresses(int index) => Addresses.GetValueOrDefault(index) ?? [];

    public void AddAddress(int index, IPPrefix address)
    {
        Writes++;
        if (!Addresses.TryGetValue(index, out List<IPPrefix>? list)) Addresses[index] = list = [];
        list.Add(address);
    }

    public IReadOnlyList<AgentRoute> ListRoutes() => Routes.ToList();

    public void ReplaceRoute(AgentRoute route)
    {
        Writes++;
        Routes.RemoveWhere(r => r.Dst == route.Dst);
        Routes.Add(route);
    }

    public void DeleteRoute(AgentRoute route)
    {
        Writes++;
        if (!Routes.Remove(route)) throw new InvalidOperationException($"no route {route}");
    }

    public IReadOnlyList<NeighbourEntry> ListNeighbours(int index) => Neighbours.Where(n => n.Index == index).ToList();

    public void ReplaceNeighbour(NeighbourEntry neighbour)
    {
        Writes++;
        Neighbours.RemoveWhere(n => n.Index == neighbour.Index && n.Address.Equals(neighbour.Address));
        Neighbours.Add(neighbour);
    }

    public void DeleteNeighbour(NeighbourEntry neighbour)
    {
        Writes++;
        Neighbours.Remove(neighbour);
    }

    public IReadOnlyList<FdbEntry> ListFdb(int index) => Fdb.Where(f => f.Index == index).ToList();

    public void AppendFdb(FdbEntry entry)
    {
        Writes++;
        Fdb.Add(entry);
    }

    public void DeleteFdb(FdbEntry entry)
    {
        Writes++;
        Fdb.Remove(entry);
    }

    public void Dispose()
    {
    }

    private void Change(int index, Func<VxlanDevice, VxlanDevice> change)
    {
        Writes++;
        string name = Devices.Single(d => d.Value.Index == index).Key;
        Devices[name] = change(Devices[name]);
    }
}
