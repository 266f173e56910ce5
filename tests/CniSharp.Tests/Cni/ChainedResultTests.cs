using System.Net;
using CniSharp.Cni;
using CniSharp.Ip;

namespace CniSharp.Tests.Cni;

public class ChainedResultTests
{
    private static CniIPConfig Ip(string cidr, int? index) => new() { Address = IPPrefix.Parse(cidr), Interface = index };

    [Fact]
    public void OurInterfacesFollowTheEarlierOnes_AndOurAddressIndicesMoveUp()
    {
        var previous = new CniResult
        {
            Interfaces = [new CniInterface { Name = "lo", Sandbox = "/ns" }],
            Ips = [Ip("127.0.0.1/8", 0)],
            Routes = [new CniRoute { Dst = IPPrefix.Parse("192.0.2.0/24") }],
            Dns = new CniDns { Nameservers = ["192.0.2.53"] },
        };
        var ours = new CniResult
        {
            CniVersion = "1.0.0",
            Interfaces = [new CniInterface { Name = "br" }, new CniInterface { Name = "cns1" }, new CniInterface { Name = "eth0", Sandbox = "/ns" }],
            Ips = [Ip("10.1.0.2/24", 2)],
            Routes = [new CniRoute { Dst = IPPrefix.Parse("0.0.0.0/0"), Gw = IPAddress.Parse("10.1.0.1") }],
        };

        CniResult merged = ChainedResult.Append(previous, ours);

        Assert.Equal("1.0.0", merged.CniVersion);
        Assert.Equal(["lo", "br", "cns1", "eth0"], merged.Interfaces.Select(i => i.Name).ToArray());
        Assert.Equal([0, 3], merged.Ips.Select(i => i.Interface!.Value).ToArray());
        Assert.Equal(["192.0.2.0/24", "0.0.0.0/0"], merged.Routes.Select(r => r.Dst.ToString()).ToArray());
        Assert.Equal(["192.0.2.53"], merged.Dns!.Nameservers!);
        // The inputs are not modified: ours still says index 2.
        Assert.Equal(2, ours.Ips[0].Interface);
    }

    [Fact]
    public void OurDnsWinsWhenWeHaveAny()
    {
        var previous = new CniResult { Dns = new CniDns { Nameservers = ["192.0.2.53"] } };
        var ours = new CniResult { Dns = new CniDns { Nameservers = ["10.96.0.10"] } };
        Assert.Equal(["10.96.0.10"], ChainedResult.Append(previous, ours).Dns!.Nameservers!);
    }
}
