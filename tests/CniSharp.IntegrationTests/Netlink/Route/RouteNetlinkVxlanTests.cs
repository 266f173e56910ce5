using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CniSharp.Interop;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netlink.Route;

/// <summary>The verbs a vxlan overlay needs (the node agent's): the device, its FDB and the neighbour entries.</summary>
public class RouteNetlinkVxlanTests
{
    [RootFact]
    public void AddVxlan_CreatesTheDeviceIpSees() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int underlay = UnderlayWithAddress(nl, "10.99.0.1/24");
        nl.AddVxlan(new VxlanRequest { Name = "vx0", Vni = 42, Local = IPAddress.Parse("10.99.0.1"), ParentIndex = underlay, Mtu = 1450 });

        LinkInfo vxlan = nl.GetLink("vx0")!;
        Assert.Equal("vxlan", vxlan.Kind);
        Assert.Equal(1450, vxlan.Mtu);
        string details = RunIp("-d link show vx0");
        Assert.Contains("vxlan id 42 local 10.99.0.1 dev under0", details);
        Assert.Contains("dstport 8472 nolearning", details);
        Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(() =>
            nl.AddVxlan(new VxlanRequest { Name = "vx0", Vni = 42 })).Errno);
    });

    [RootFact]
    public void Neighbours_ReplaceListAndDelete_InBothFamilies() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int vxlan = Vxlan(nl);
        var mac = PhysicalAddress.Parse("02-11-22-33-44-55");
        nl.ReplaceNeighbor(vxlan, IPAddress.Parse("10.244.2.0"), mac);
        // Replace is idempotent and moves the entry to a new MAC.
        nl.ReplaceNeighbor(vxlan, IPAddress.Parse("10.244.2.0"), PhysicalAddress.Parse("02-11-22-33-44-66"));
        nl.ReplaceNeighbor(vxlan, IPAddress.Parse("fd00:2::"), mac);

        NeighborInfo v4 = Assert.Single(nl.ListNeighbors(vxlan, AddressFamily.InterNetwork));
        Assert.Equal(IPAddress.Parse("10.244.2.0"), v4.Address);
        Assert.Equal(PhysicalAddress.Parse("02-11-22-33-44-66"), v4.Mac);
        Assert.Equal(NeighborState.Permanent, v4.State);
        Assert.Contains(nl.ListNeighbors(vxlan, AddressFamily.InterNetworkV6), n => n.Address!.Equals(IPAddress.Parse("fd00:2::")));
        Assert.Contains("10.244.2.0 lladdr 02:11:22:33:44:66 PERMANENT", RunIp("neigh show dev vx0"));

        nl.DeleteNeighbor(vxlan, IPAddress.Parse("10.244.2.0"));
        Assert.Empty(nl.ListNeighbors(vxlan, AddressFamily.InterNetwork));
        Assert.Equal(Errno.ENOENT, Assert.Throws<NetlinkException>(() => nl.DeleteNeighbor(vxlan, IPAddress.Parse("10.244.2.0"))).Errno);
    });

    [RootFact]
    public void Fdb_AppendReplaceListAndDelete() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int vxlan = Vxlan(nl);
        var flood = PhysicalAddress.Parse("00-00-00-00-00-00");
        var vtep = PhysicalAddress.Parse("02-11-22-33-44-55");
        // append adds destinations to the all-zeros (flood) entry; replace keeps one destination per MAC.
        nl.AppendFdb(vxlan, flood, IPAddress.Parse("10.99.0.2"));
        nl.AppendFdb(vxlan, flood, IPAddress.Parse("10.99.0.3"));
        nl.ReplaceFdb(vxlan, vtep, IPAddress.Parse("10.99.0.4"));
        nl.ReplaceFdb(vxlan, vtep, IPAddress.Parse("10.99.0.5"));

        var entries = nl.ListFdb(vxlan).Select(e => (e.Mac!.ToString(), e.Address?.ToString())).ToList();
        Assert.Contains(("000000000000", "10.99.0.2"), entries);
        Assert.Contains(("000000000000", "10.99.0.3"), entries);
        Assert.Contains(("021122334455", "10.99.0.5"), entries);
        Assert.DoesNotContain(("021122334455", "10.99.0.4"), entries);
        Assert.All(nl.ListFdb(vxlan).Where(e => e.Address is not null),
            e => Assert.Equal(NeighborFlags.Self, e.Flags & NeighborFlags.Self));

        nl.DeleteFdb(vxlan, flood, IPAddress.Parse("10.99.0.2"));
        Assert.DoesNotContain(("000000000000", "10.99.0.2"), nl.ListFdb(vxlan).Select(e => (e.Mac!.ToString(), e.Address?.ToString())));
        Assert.Contains("00:00:00:00:00:00 dst 10.99.0.3 self permanent", RunBridge("fdb show dev vx0"));
    });

    private static int Vxlan(RouteNetlink nl)
    {
        int underlay = UnderlayWithAddress(nl, "10.99.0.1/24");
        nl.AddVxlan(new VxlanRequest { Name = "vx0", Vni = 42, Local = IPAddress.Parse("10.99.0.1"), ParentIndex = underlay });
        int index = nl.GetLink("vx0")!.Index;
        nl.SetLinkUp(index);
        return index;
    }

    // A veth end with an address stands in for the node's uplink (this kernel has no dummy driver).
    private static int UnderlayWithAddress(RouteNetlink nl, string address)
    {
        RunIp("link add under0 type veth peer name under1");
        RunIp($"addr add {address} dev under0");
        RunIp("link set under0 up");
        return nl.GetLink("under0")!.Index;
    }
}
