using System.Net;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Pods;

namespace CniSharp.Tests.Pods;

public class GatewayPlanTests
{
    private static CniResult Result(params string[] addresses) => new()
    {
        Ips = addresses.Select(a => new CniIPConfig { Address = IPPrefix.Parse(a) }).ToList(),
    };

    [Fact]
    public void EveryIp_PointsAtTheContainerInterface()
    {
        CniResult r = Result("10.0.0.5/24", "fd00::5/64");
        GatewayPlan.Apply(r, 2, isGateway: false, isDefaultGateway: false);
        Assert.All(r.Ips, ip => Assert.Equal(2, ip.Interface));
    }

    [Fact]
    public void WithoutIsGateway_NothingGoesOnTheBridge_AndGatewaysStayAsIpamSaid()
    {
        CniResult r = Result("10.0.0.5/24");
        GatewayPlan plan = GatewayPlan.Apply(r, 2, isGateway: false, isDefaultGateway: false);
        Assert.Empty(plan.BridgeAddresses);
        Assert.Null(r.Ips[0].Gateway);
        Assert.Empty(r.Routes);
    }

    [Fact]
    public void IsGateway_FillsMissingGatewayWithNetworkPlusOne_WithTheSubnetPrefix()
    {
        CniResult r = Result("10.0.0.5/24", "fd00::5/64");
        GatewayPlan plan = GatewayPlan.Apply(r, 2, isGateway: true, isDefaultGateway: false);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), r.Ips[0].Gateway);
        Assert.Equal(IPAddress.Parse("fd00::1"), r.Ips[1].Gateway);
        Assert.Equal([IPPrefix.Parse("10.0.0.1/24"), IPPrefix.Parse("fd00::1/64")], plan.BridgeAddresses);
        Assert.True(plan.HasIPv4Gateway);
        Assert.True(plan.HasIPv6Gateway);
    }

    [Fact]
    public void IsGateway_KeepsAnIpamGateway()
    {
        CniResult r = Result("10.0.0.5/24");
        r.Ips[0].Gateway = IPAddress.Parse("10.0.0.254");
        GatewayPlan plan = GatewayPlan.Apply(r, 2, isGateway: true, isDefaultGateway: false);
        Assert.Equal([IPPrefix.Parse("10.0.0.254/24")], plan.BridgeAddresses);
    }

    [Fact]
    public void IsDefaultGateway_AddsOneDefaultRoutePerFamily_AndImpliesIsGateway()
    {
        CniResult r = Result("10.0.0.5/24", "fd00::5/64");
        GatewayPlan plan = GatewayPlan.Apply(r, 2, isGateway: false, isDefaultGateway: true);
        Assert.Equal(2, plan.BridgeAddresses.Count);
        Assert.Collection(r.Routes,
            v4 => { Assert.Equal("0.0.0.0/0", v4.Dst.ToString()); Assert.Equal(IPAddress.Parse("10.0.0.1"), v4.Gw); },
            v6 => { Assert.Equal("::/0", v6.Dst.ToString()); Assert.Equal(IPAddress.Parse("fd00::1"), v6.Gw); });
    }

    [Fact]
    public void IsDefaultGateway_LeavesAFamilyThatIpamAlreadyRoutesByDefault()
    {
        CniResult r = Result("10.0.0.5/24", "fd00::5/64");
        r.Routes.Add(new CniRoute { Dst = IPPrefix.Parse("0.0.0.0/0"), Gw = IPAddress.Parse("10.0.0.9") });
        GatewayPlan.Apply(r, 2, isGateway: false, isDefaultGateway: true);
        Assert.Equal(2, r.Routes.Count);
        Assert.Single(r.Routes, x => x.Dst.IsIPv4);
        Assert.Equal(IPAddress.Parse("10.0.0.9"), r.Routes[0].Gw);
    }

    [Fact]
    public void TwoAddressesInOneSubnet_PutOneGatewayOnTheBridge()
    {
        CniResult r = Result("10.0.0.5/24", "10.0.0.6/24");
        GatewayPlan plan = GatewayPlan.Apply(r, 2, isGateway: true, isDefaultGateway: false);
        Assert.Single(plan.BridgeAddresses);
    }
}
