using System.Net;
using System.Net.Sockets;
using CniSharp.Interop;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Ip;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netlink.Route;

public class RouteNetlinkRouteTests
{
    [RootFact]
    public void AddRoute_WithGatewayMetricsAndPriority_ListsAndDeletes() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int index = UpLinkWithAddress(nl, "10.1.2.3/24");
        var route = new RouteRequest
        {
            Dst = IPPrefix.Parse("10.9.0.0/16"),
            Gateway = IPAddress.Parse("10.1.2.1"),
            OutIndex = index,
            Priority = 100,
            Mtu = 1400,
            AdvMss = 1360,
        };

        nl.AddRoute(route);

        RouteInfo listed = Assert.Single(nl.ListRoutes(AddressFamily.InterNetwork), r => r.Dst == route.Dst);
        Assert.Equal(IPAddress.Parse("10.1.2.1"), listed.Gateway);
        Assert.Equal(index, listed.OutIndex);
        Assert.Equal(100, listed.Priority);
        Assert.Equal(1400, listed.Mtu);
        Assert.Equal(1360, listed.AdvMss);
        Assert.Equal(254, listed.Table);
        Assert.Equal(3, listed.Protocol);   // RTPROT_BOOT
        Assert.Equal(0, listed.Scope);      // universe, since it has a gateway
        Assert.Contains("10.9.0.0/16 via 10.1.2.1 dev va metric 100 mtu 1400 advmss 1360", RunIp("route show"));
        // The connected route of the address is there too, installed by the kernel.
        Assert.Contains(nl.ListRoutes(AddressFamily.InterNetwork), r => r.Dst == IPPrefix.Parse("10.1.2.0/24") && r.Protocol == 2);

        var duplicate = Assert.Throws<NetlinkException>(() => nl.AddRoute(route));
        Assert.Equal(Errno.EEXIST, duplicate.Errno);
        Assert.Contains("add route 10.9.0.0/16 via 10.1.2.1 dev \"va\"", duplicate.Message);

        nl.DeleteRoute(route);
        Assert.DoesNotContain(nl.ListRoutes(AddressFamily.InterNetwork), r => r.Dst == route.Dst);
    });

    [RootFact]
    public void AddRoute_DefaultViaGateway_AndLinkScopeRoute() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int index = UpLinkWithAddress(nl, "10.1.2.3/24");

        nl.AddRoute(new RouteRequest { Dst = IPPrefix.Parse("192.168.50.0/24"), OutIndex = index });
        nl.AddRoute(new RouteRequest { Dst = IPPrefix.Parse("0.0.0.0/0"), Gateway = IPAddress.Parse("10.1.2.1") });

        IReadOnlyList<RouteInfo> routes = nl.ListRoutes(AddressFamily.InterNetwork);
        RouteInfo linkRoute = Assert.Single(routes, r => r.Dst == IPPrefix.Parse("192.168.50.0/24"));
        Assert.Equal(253, linkRoute.Scope);   // RT_SCOPE_LINK: no gateway
        RouteInfo defaultRoute = Assert.Single(routes, r => r.Dst.PrefixLength == 0);
        Assert.Equal(IPAddress.Any, defaultRoute.Dst.Address);
        Assert.Equal(index, defaultRoute.OutIndex);
        Assert.Contains("default via 10.1.2.1 dev va", RunIp("route show"));
    });

    [RootFact]
    public void AddRoute_InTableAbove255_UsesRtaTable() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int index = UpLinkWithAddress(nl, "10.1.2.3/24");
        var route = new RouteRequest { Dst = IPPrefix.Parse("10.7.0.0/16"), Gateway = IPAddress.Parse("10.1.2.1"), Table = 1000 };

        nl.AddRoute(route);

        Assert.DoesNotContain(nl.ListRoutes(AddressFamily.InterNetwork), r => r.Dst == route.Dst);
        RouteInfo listed = Assert.Single(nl.ListRoutes(AddressFamily.InterNetwork, 1000));
        Assert.Equal(1000, listed.Table);
        Assert.Equal(index, listed.OutIndex);
        Assert.Contains("10.7.0.0/16 via 10.1.2.1", RunIp("route show table 1000"));
        nl.DeleteRoute(route);
        Assert.Empty(nl.ListRoutes(AddressFamily.InterNetwork, 1000));
    });

    [RootFact]
    public void AppendRoute_AddsSecondRouteWithOtherMetric_IPv6() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        int index = UpLinkWithAddress(nl, "fd00:1::5/64");
        var first = new RouteRequest { Dst = IPPrefix.Parse("fd00:9::/48"), Gateway = IPAddress.Parse("fd00:1::1"), OutIndex = index, Priority = 10 };

        nl.AddRoute(first);
        nl.AddRoute(first with { Priority = 20 }, append: true);

        IReadOnlyList<RouteInfo> routes = nl.ListRoutes(AddressFamily.InterNetworkV6);
        Assert.Equal(2, routes.Count(r => r.Dst == first.Dst));
        nl.DeleteRoute(first);
        Assert.Equal(20, Assert.Single(nl.ListRoutes(AddressFamily.InterNetworkV6), r => r.Dst == first.Dst).Priority);
    });

    private static int UpLinkWithAddress(RouteNetlink nl, string address)
    {
        nl.AddVeth(new VethRequest { Name = "va", PeerName = "vb" });
        int index = nl.GetLink("va")!.Index;
        nl.SetLinkUp(index);
        nl.SetLinkUp(nl.GetLink("vb")!.Index);
        nl.AddAddress(index, IPPrefix.Parse(address), AddressFlags.NoDad);
        return index;
    }
}
