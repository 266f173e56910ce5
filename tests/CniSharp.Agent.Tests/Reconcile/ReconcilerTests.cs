using System.Net;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Agent.Reconcile;
using CniSharp.Agent.Tests.Fakes;
using CniSharp.Ip;
using Serilog;
using static CniSharp.Agent.Tests.Reconcile.DesiredStateTests;

namespace CniSharp.Agent.Tests.Reconcile;

public class ReconcilerTests
{
    private static readonly ILogger Quiet = new LoggerConfiguration().CreateLogger();
    private static readonly NodeLease Self = new(new NodeAttributes("self", IPAddress.Parse("192.168.10.2"), null, BackendKind.Vxlan, null),
        [IPPrefix.Parse("10.244.2.0/24")]);
    private static readonly IReadOnlyList<NodeLease> Peers =
    [
        Peer("near", "192.168.10.3", BackendKind.CrossSubnet, true, "10.244.3.0/24"),
        Peer("far", "192.168.20.4", BackendKind.CrossSubnet, true, "10.244.4.0/24"),
    ];

    private static Reconciler Prepared(FakeDataplane kernel, BackendKind backend)
    {
        var reconciler = new Reconciler(kernel, backend, "self", Quiet);
        reconciler.Prepare(null, null);
        return reconciler;
    }

    [Fact]
    public void Vxlan_device_is_created_with_flannel_parameters_and_mtu_minus_50()
    {
        var kernel = new FakeDataplane();
        Reconciler r = Prepared(kernel, BackendKind.Vxlan);
        VxlanDevice dev = Assert.Single(kernel.Devices.Values);
        Assert.Equal(("cnisharp.1", 1, 8472, 1450, true, false), (dev.Name, dev.Vni, dev.Port, dev.Mtu, dev.Up, dev.Learning));
        Assert.Equal(IPAddress.Parse("192.168.10.2"), dev.Local);
        Assert.Equal(VtepMac.For("self"), dev.Mac);
        Assert.Equal(1450, r.PodMtu);
        Assert.Equal(1500, Prepared(new FakeDataplane(), BackendKind.HostGw).PodMtu);
    }

    [Fact]
    public void Second_pass_and_a_restarted_agent_change_nothing()
    {
        var kernel = new FakeDataplane();
        ReconcileReport first = Prepared(kernel, BackendKind.CrossSubnet).Reconcile(Self, Peers);
        Assert.True(first.Changes > 0);
        Assert.Contains(IPPrefix.Parse("10.244.2.0/32"), kernel.Addresses[kernel.Devices["cnisharp.1"].Index]);
        int writes = kernel.Writes;

        Assert.Equal(0, Prepared(kernel, BackendKind.CrossSubnet).Reconcile(Self, Peers).Changes);
        Assert.Equal(writes, kernel.Writes);
    }

    [Fact]
    public void Departed_peer_loses_route_neighbour_and_fdb()
    {
        var kernel = new FakeDataplane();
        Reconciler r = Prepared(kernel, BackendKind.Vxlan);
        r.Reconcile(Self, Peers);
        Assert.Equal(2, kernel.Routes.Count);
        r.Reconcile(Self, [Peers[0]]);
        Assert.Equal([IPPrefix.Parse("10.244.3.0/24")], kernel.Routes.Select(x => x.Dst));
        Assert.Equal([IPAddress.Parse("10.244.3.0")], kernel.Neighbours.Select(n => n.Address));
        Assert.Equal([IPAddress.Parse("192.168.10.3")], kernel.Fdb.Select(f => f.Destination));
    }

    [Fact]
    public void Deleted_objects_come_back_on_the_next_pass()
    {
        var kernel = new FakeDataplane();
        Reconciler r = Prepared(kernel, BackendKind.Vxlan);
        r.Reconcile(Self, Peers);
        var (routes, neighbours, fdb) = (kernel.Routes.ToHashSet(), kernel.Neighbours.ToHashSet(), kernel.Fdb.ToHashSet());
        kernel.Routes.Clear();
        kernel.Neighbours.Clear();
        kernel.Fdb.Clear();
        Assert.Equal(6, r.Reconcile(Self, Peers).Changes);
        Assert.True(routes.SetEquals(kernel.Routes) && neighbours.SetEquals(kernel.Neighbours) && fdb.SetEquals(kernel.Fdb));
    }

    [Fact]
    public void Deleted_vxlan_device_is_recreated()
    {
        var kernel = new FakeDataplane();
        Reconciler r = Prepared(kernel, BackendKind.Vxlan);
        r.Reconcile(Self, Peers);
        kernel.DeleteLink(kernel.Devices["cnisharp.1"].Index);
        r.Reconcile(Self, Peers);
        int index = kernel.Devices["cnisharp.1"].Index;
        Assert.Equal(2, kernel.Routes.Count(x => x.OutIndex == index));
        Assert.Equal(2, kernel.Neighbours.Count);
    }

    [Fact]
    public void Switching_vxlan_to_host_gw_replaces_routes_and_removes_the_device()
    {
        var kernel = new FakeDataplane();
        Prepared(kernel, BackendKind.Vxlan).Reconcile(Self, Peers);
        ReconcileReport report = Prepared(kernel, BackendKind.HostGw).Reconcile(Self, Peers);
        Assert.Empty(kernel.Devices);
        Assert.Empty(kernel.Neighbours);
        Assert.Empty(kernel.Fdb);
        Assert.Equal([new AgentRoute(IPPrefix.Parse("10.244.3.0/24"), IPAddress.Parse("192.168.10.3"), 2, false)], kernel.Routes);
        Assert.Equal("far", Assert.Single(report.Unreachable).Node);
    }

    [Fact]
    public void Switching_host_gw_to_vxlan_replaces_the_direct_routes()
    {
        var kernel = new FakeDataplane();
        Prepared(kernel, BackendKind.HostGw).Reconcile(Self, Peers);
        Prepared(kernel, BackendKind.Vxlan).Reconcile(Self, Peers);
        int dev = kernel.Devices["cnisharp.1"].Index;
        Assert.All(kernel.Routes, x => Assert.Equal(dev, x.OutIndex));
        Assert.Equal(2, kernel.Routes.Count);
    }

    [Fact]
    public void A_foreign_vxlan_device_with_the_name_is_replaced()
    {
        var kernel = new FakeDataplane();
        kernel.CreateVxlan(new VxlanSpec("cnisharp.1", 42, 4789, IPAddress.Parse("192.168.10.2"), 2, 1450, VtepMac.For("other")));
        Prepared(kernel, BackendKind.Vxlan);
        VxlanDevice dev = kernel.Devices["cnisharp.1"];
        Assert.Equal((1, 8472), (dev.Vni, dev.Port));
    }
}
