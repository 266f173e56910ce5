using System.Net;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Netlink.Route;
using CniSharp.Pods;
using Moq;

namespace CniSharp.Tests.Pods;

public class ContainerInterfaceTests
{
    // A name no host has, so the best-effort sysctl writes touch nothing on the test machine.
    private const string IfName = "cnsunit0";

    private static (Mock<IRouteNetlink> Nl, List<string> Calls) Netlink()
    {
        var calls = new List<string>();
        var nl = new Mock<IRouteNetlink>(MockBehavior.Strict);
        nl.Setup(n => n.GetLink(IfName)).Returns(new LinkInfo { Index = 7, Name = IfName, Mtu = 1500 });
        nl.Setup(n => n.AddAddress(7, It.IsAny<IPPrefix>(), It.IsAny<AddressFlags>()))
            .Callback((int _, IPPrefix a, AddressFlags f) => calls.Add($"addr {a} {f}"));
        nl.Setup(n => n.SetLinkUp(7, true)).Callback(() => calls.Add("up"));
        nl.Setup(n => n.AddRoute(It.IsAny<RouteRequest>(), true))
            .Callback((RouteRequest r, bool _) => calls.Add($"route {r.Dst} via {r.Gateway} dev {r.OutIndex}"));
        return (nl, calls);
    }

    private static CniResult Result() => new()
    {
        Ips =
        [
            new CniIPConfig { Address = IPPrefix.Parse("10.0.0.5/24"), Gateway = IPAddress.Parse("10.0.0.1"), Interface = 2 },
            new CniIPConfig { Address = IPPrefix.Parse("fd00::5/64"), Gateway = IPAddress.Parse("fd00::1"), Interface = 2 },
        ],
        Routes = [new CniRoute { Dst = IPPrefix.Parse("0.0.0.0/0") }, new CniRoute { Dst = IPPrefix.Parse("192.0.2.0/24"), Gw = IPAddress.Parse("10.0.0.9") }],
    };

    [Fact]
    public void Configure_AddsAddresses_ThenLinkUp_ThenRoutes_WithTheFamilyGatewayAsDefault()
    {
        var (nl, calls) = Netlink();
        ContainerInterface.Configure(nl.Object, IfName, Result(), 2, enableDad: false);
        Assert.Equal(
        [
            "addr 10.0.0.5/24 None",
            "addr fd00::5/64 NoDad",
            "up",
            "route 0.0.0.0/0 via 10.0.0.1 dev 7",
            "route 192.0.2.0/24 via 10.0.0.9 dev 7",
        ], calls);
    }

    [Fact]
    public void Configure_WithDad_AddsIPv6WithoutNoDad_AndWaitsUntilNotTentative()
    {
        var (nl, calls) = Netlink();
        var states = new Queue<AddressFlags>([AddressFlags.Tentative, AddressFlags.None]);
        nl.Setup(n => n.ListAddresses(7, System.Net.Sockets.AddressFamily.InterNetworkV6))
            .Returns(() => [new AddressInfo(7, IPPrefix.Parse("fd00::5/64"), 0, states.Dequeue())]);
        ContainerInterface.Configure(nl.Object, IfName, Result(), 2, enableDad: true);
        Assert.Contains("addr fd00::5/64 None", calls);
        Assert.Empty(states);
    }

    [Fact]
    public void Configure_FailedDad_NamesTheAddress()
    {
        var (nl, _) = Netlink();
        nl.Setup(n => n.ListAddresses(7, System.Net.Sockets.AddressFamily.InterNetworkV6))
            .Returns([new AddressInfo(7, IPPrefix.Parse("fd00::5/64"), 0, AddressFlags.DadFailed | AddressFlags.Tentative)]);
        var e = Assert.Throws<CniException>(() => ContainerInterface.Configure(nl.Object, IfName, Result(), 2, enableDad: true));
        Assert.Contains("fd00::5/64", e.Message);
    }

    [Fact]
    public void Configure_OnlyAppliesAddressesOfItsOwnInterface()
    {
        var (nl, calls) = Netlink();
        CniResult r = Result();
        r.Ips[1].Interface = 5;
        ContainerInterface.Configure(nl.Object, IfName, r, 2, enableDad: false);
        Assert.DoesNotContain(calls, c => c.Contains("fd00::5"));
    }
}
