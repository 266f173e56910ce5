using System.Net;
using System.Text;
using CniSharp.Cni;
using CniSharp.Ip;

namespace CniSharp.Tests.Cni;

public class ResultWriterTests
{
    private static string Write(CniResult result, string version) => Encoding.UTF8.GetString(ResultWriter.Write(result, version));

    private const string Interfaces10 =
        "\"interfaces\":[{\"name\":\"cni0\",\"mac\":\"0a:58:0a:f4:01:01\"},{\"name\":\"veth1234abcd\",\"mac\":\"52:00:00:00:00:11\"}," +
        "{\"name\":\"eth0\",\"mac\":\"aa:00:00:00:00:44\",\"sandbox\":\"/var/run/netns/cni-1\"}]";

    private const string Dns = "\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"domain\":\"cluster.local\",\"search\":[\"svc.cluster.local\"],\"options\":[\"ndots:5\"]}";

    [Fact]
    public void V110_WritesEverything()
    {
        Assert.Equal(
            "{\"cniVersion\":\"1.1.0\"," +
            "\"interfaces\":[{\"name\":\"cni0\",\"mac\":\"0a:58:0a:f4:01:01\",\"mtu\":1500},{\"name\":\"veth1234abcd\",\"mac\":\"52:00:00:00:00:11\"}," +
            "{\"name\":\"eth0\",\"mac\":\"aa:00:00:00:00:44\",\"mtu\":1450,\"sandbox\":\"/var/run/netns/cni-1\",\"socketPath\":\"/run/vhost.sock\",\"pciID\":\"0000:04:00.5\"}]," +
            "\"ips\":[{\"address\":\"10.244.1.5/24\",\"gateway\":\"10.244.1.1\",\"interface\":2},{\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\",\"interface\":2}]," +
            "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.244.1.1\",\"mtu\":1450,\"advmss\":1410,\"priority\":100,\"table\":254,\"scope\":0},{\"dst\":\"::/0\"}]," +
            Dns + "}",
            Write(SampleResults.DualStack(), "1.1.0"));
    }

    [Fact]
    public void V100_DropsThe11OnlyFields()
    {
        Assert.Equal(
            "{\"cniVersion\":\"1.0.0\"," + Interfaces10 + "," +
            "\"ips\":[{\"address\":\"10.244.1.5/24\",\"gateway\":\"10.244.1.1\",\"interface\":2},{\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\",\"interface\":2}]," +
            "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.244.1.1\"},{\"dst\":\"::/0\"}]," +
            Dns + "}",
            Write(SampleResults.DualStack(), "1.0.0"));
    }

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("0.3.1")]
    [InlineData("0.3.0")]
    public void V04x_AddsIpVersion(string version)
    {
        Assert.Equal(
            "{\"cniVersion\":\"" + version + "\"," + Interfaces10 + "," +
            "\"ips\":[{\"version\":\"4\",\"address\":\"10.244.1.5/24\",\"gateway\":\"10.244.1.1\",\"interface\":2},{\"version\":\"6\",\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\",\"interface\":2}]," +
            "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.244.1.1\"},{\"dst\":\"::/0\"}]," +
            Dns + "}",
            Write(SampleResults.DualStack(), version));
    }

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("0.1.0")]
    public void V02x_WritesIp4AndIp6WithRoutesSplitByFamily(string version)
    {
        Assert.Equal(
            "{\"cniVersion\":\"" + version + "\"," +
            "\"ip4\":{\"ip\":\"10.244.1.5/24\",\"gateway\":\"10.244.1.1\",\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.244.1.1\"}]}," +
            "\"ip6\":{\"ip\":\"fd00::5/64\",\"gateway\":\"fd00::1\",\"routes\":[{\"dst\":\"::/0\"}]}," +
            Dns + "}",
            Write(SampleResults.DualStack(), version));
    }

    [Fact]
    public void V020_WithTwoAddressesInOneFamily_IsCode1()
    {
        CniResult result = SampleResults.DualStack();
        result.Ips.Add(new CniIPConfig { Address = IPPrefix.Parse("10.244.2.5/24") });
        CniException ex = Assert.Throws<CniException>(() => Write(result, "0.2.0"));
        Assert.Equal(CniErrorCode.IncompatibleVersion, ex.Code);
        Assert.Contains("0.2.0", ex.Message);
        Assert.Contains("more than one IPv4 address", ex.Message);
    }

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("0.4.0")]
    [InlineData("0.2.0")]
    public void EmptyDns_IsOmitted(string version)
    {
        CniResult result = SampleResults.DualStack();
        result.Dns = new CniDns { Nameservers = [], Search = [] };
        Assert.DoesNotContain("dns", Write(result, version));
        result.Dns = null;
        Assert.DoesNotContain("dns", Write(result, version));
    }

    [Fact]
    public void IpamStyleResult_OmitsInterfacesAndUnsetFields()
    {
        var result = new CniResult
        {
            Ips = [new CniIPConfig { Address = IPPrefix.Parse("10.1.0.2/16") }],
            Dns = new CniDns { Domain = "example" },
        };
        Assert.Equal("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.2/16\"}],\"dns\":{\"domain\":\"example\"}}", Write(result, "1.0.0"));
    }

    [Fact]
    public void EmptyResult_IsJustTheVersion()
    {
        Assert.Equal("{\"cniVersion\":\"0.2.0\"}", Write(new CniResult(), "0.2.0"));
        Assert.Equal("{\"cniVersion\":\"1.1.0\"}", Write(new CniResult(), "1.1.0"));
    }

    [Fact]
    public void UnsupportedVersion_IsCode1()
    {
        CniException ex = Assert.Throws<CniException>(() => Write(new CniResult(), "0.5.0"));
        Assert.Equal(CniErrorCode.IncompatibleVersion, ex.Code);
    }

    [Fact]
    public void ErrorWriter_WritesCodeMsgDetails()
    {
        Assert.Equal("{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"bad \\\"x\\\"\",\"details\":\"why\"}",
            Encoding.UTF8.GetString(ErrorWriter.Write("1.0.0", CniErrorCode.InvalidNetworkConfig, "bad \"x\"", "why")));
    }

    [Fact]
    public void ErrorWriter_OmitsEmptyDetails()
    {
        Assert.Equal("{\"cniVersion\":\"1.1.0\",\"code\":999,\"msg\":\"boom\"}",
            Encoding.UTF8.GetString(ErrorWriter.Write("1.1.0", new CniException(CniErrorCode.Internal, "boom", ""))));
    }

    [Fact]
    public void VersionInfo_ListsEverySupportedVersion()
    {
        Assert.Equal("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}",
            Encoding.UTF8.GetString(VersionInfoWriter.Write()));
    }

    [Fact]
    public void Gateway_IsWrittenInGoTextForm()
    {
        var result = new CniResult { Ips = [new CniIPConfig { Address = IPPrefix.Parse("2001:DB8:0:0::5/64"), Gateway = IPAddress.Parse("2001:db8::1") }] };
        Assert.Contains("\"address\":\"2001:db8::5/64\"", Write(result, "1.0.0"));
    }
}
