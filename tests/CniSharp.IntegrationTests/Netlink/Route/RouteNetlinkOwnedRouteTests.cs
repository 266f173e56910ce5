using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Ip;
using CniSharp.Netlink.Route;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netlink.Route;

/// <summary>The node agent's extra verbs on the kernel: owned (protocol-tagged, onlink) routes and vxlan details.</summary>
public class RouteNetlinkOwnedRouteTests
{
    private const RouteProtocol Agent = (RouteProtocol)115;

    [RootFact]
    public void GetVxlan_ReportsWhatAddVxlanSet_AndNullForOtherLinks() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int underlay = Underlay(nl);
        var mac = PhysicalAddress.Parse("02-11-22-33-44-55");
        nl.AddVxlan(new VxlanRequest { Name = "vx0", Vni = 1, Port = 8472, Local = IPAddress.Parse("10.99.0.1"), ParentIndex = underlay, Mtu = 1450, Mac = mac });

        VxlanLinkInfo vx = nl.GetVxlan("vx0")!;
        Assert.Equal((1u, (ushort)8472, IPAddress.Parse("10.99.0.1"), underlay, false, 1450, mac),
            (vx.Vni, vx.Port, vx.Local, vx.ParentIndex, vx.Learning, vx.Mtu, vx.Mac));
        Assert.Null(nl.GetVxlan("under0"));
        Assert.Null(nl.GetVxlan("nosuch0"));
    });

    [RootFact]
    public void ReplaceRoute_OnlinkViaVxlan_IsListedByItsProtocolAndReplacedInPlace() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int underlay = Underlay(nl);
        nl.AddVxlan(new VxlanRequest { Name = "vx0", Vni = 1, Local = IPAddress.Parse("10.99.0.1"), ParentIndex = underlay });
        int vx = nl.GetLink("vx0")!.Index;
        nl.SetLinkUp(vx);

        var dst = IPPrefix.Parse("10.244.4.0/24");
        nl.ReplaceRoute(new RouteRequest { Dst = dst, Gateway = IPAddress.Parse("10.244.4.0"), OutIndex = vx }, Agent, onLink: true);
        Assert.Contains("10.244.4.0/24 via 10.244.4.0 dev vx0 proto 115 onlink", RunIp("route show"));
        // The same destination moves to a direct next hop in one replace: never absent in between.
        nl.ReplaceRoute(new RouteRequest { Dst = dst, Gateway = IPAddress.Parse("10.99.0.2"), OutIndex = underlay }, Agent);
        RouteInfo route = Assert.Single(nl.ListRoutes(AddressFamily.InterNetwork, Agent));
        Assert.Equal((dst, IPAddress.Parse("10.99.0.2"), underlay), (route.Dst, route.Gateway, route.OutIndex));
        // Routes of other protocols are not the agent's.
        Assert.DoesNotContain(nl.ListRoutes(AddressFamily.InterNetwork, Agent), r => r.Dst.Equals(IPPrefix.Parse("10.99.0.0/24")));

        nl.ReplaceRoute(new RouteRequest { Dst = IPPrefix.Parse("fd00:244:4::/64"), Gateway = IPAddress.Parse("fd00:244:4::"), OutIndex = vx }, Agent, onLink: true);
        Assert.Single(nl.ListRoutes(AddressFamily.InterNetworkV6, Agent));
    });

    // A veth end with an address stands in for the node's uplink (this kernel has no dummy driver).
    private static int Underlay(RouteNetlink nl)
    {
        RunIp("link add under0 type veth peer name under1");
        RunIp("addr add 10.99.0.1/24 dev under0");
        RunIp("link set under0 up");
        RunIp("link set under1 up");
        return nl.GetLink("under0")!.Index;
    }
}
