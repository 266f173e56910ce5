using System.Net;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.Tests.Ipam;

public class IpTextTests
{
    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("2001:db8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("fd00:10:244:1::12", "fd00:10:244:1::12")]
    [InlineData("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1")]
    [InlineData("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]
    [InlineData("2001:db8:1:1:1:1:0:1", "2001:db8:1:1:1:1:0:1")]
    [InlineData("::1.2.3.4", "::102:304")]
    [InlineData("::", "::")]
    [InlineData("FD00::ABCD", "fd00::abcd")]
    public void Format_MatchesGo(string input, string expected)
    {
        Assert.Equal(expected, IpText.Format(IPAddress.Parse(input)));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("10.1.2", false)]
    [InlineData("010.1.2.3", false)]
    [InlineData("10.1.2.256", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("lock", false)]
    [InlineData("last_reserved_ip.0", false)]
    public void TryParse_IsAsStrictAsGo(string text, bool valid)
    {
        Assert.Equal(valid, IpText.TryParse(text, out _));
    }

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:DB8::1", false)]
    [InlineData("2001:db8:0::1", false)]
    public void TryParseCanonical_AcceptsOnlyGoSpelling(string name, bool expected)
    {
        Assert.Equal(expected, IpText.TryParseCanonical(name, out _));
    }
}
