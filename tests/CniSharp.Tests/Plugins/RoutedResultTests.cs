using System.Net;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Plugins.Ptp;

namespace CniSharp.Tests.Plugins;

public class RoutedResultTests
{
    private static CniResult Allocated(params CniRoute[] routes) => new()
    {
        Ips =
        [
            new CniIPConfig { Address = IPPrefix.Parse("10.244.1.5/24"), Gateway = IPAddress.Parse("10.244.1.1") },
            new CniIPConfig { Address = IPPrefix.Parse("fd00:244:1::5/64"), Gateway = IPAddress.Parse("fd00:244:1::1") },
        ],
        Routes = [.. routes],
    };

    [Fact]
    public void EachAddress_StandsAloneBehindTheLinkLocalGateway_OnTheContainerInterface()
    {
        CniResult result = Allocated();
        RoutedResult.Apply(result, containerInterfaceIndex: 1);
        Assert.Equal(["10.244.1.5/32 via 169.254.1.1 on 1", "fd00:244:1::5/128 via fe80::1 on 1"],
            result.Ips.Select(ip => $"{ip.Address} via {ip.Gateway} on {ip.Interface}"));
    }

    [Fact]
    public void ADefaultRoutePerFamily_IsAdded_UnlessTheIpamRoutesOne()
    {
        CniResult result = Allocated(new CniRoute { Dst = IPPrefix.Parse("0.0.0.0/0") }, new CniRoute { Dst = IPPrefix.Parse("192.0.2.0/24") });
        RoutedResult.Apply(result, 1);
        Assert.Equal(["0.0.0.0/0 via ", "192.0.2.0/24 via ", "::/0 via fe80::1"], result.Routes.Select(r => $"{r.Dst} via {r.Gw}"));
    }

    [Fact]
    public void AnIpamRouteViaTheLinkLocalGateway_IsKept()
    {
        CniResult result = Allocated(new CniRoute { Dst = IPPrefix.Parse("0.0.0.0/0"), Gw = IPAddress.Parse("169.254.1.1") });
        RoutedResult.Apply(result, 1);
        Assert.Equal(2, result.Routes.Count);
    }

    [Fact]
    public void AnIpamRouteViaAnyOtherGateway_IsRefusedWithCode7_SayingWhatToDo()
    {
        CniResult result = Allocated(new CniRoute { Dst = IPPrefix.Parse("0.0.0.0/0"), Gw = IPAddress.Parse("10.244.1.1") });
        var e = Assert.Throws<CniException>(() => RoutedResult.Apply(result, 1));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains("route to 0.0.0.0/0 via 10.244.1.1", e.Message);
        Assert.Contains("remove \"gw\"", e.Message);
    }
}
