using System.Net;
using CniSharp.Ip;
using CniSharp.Ipam.HostLocal;
using Range = CniSharp.Ipam.HostLocal.Range;

namespace CniSharp.Tests.Ipam;

public class RangeTests
{
    [Theory]
    [InlineData("10.1.2.0/24", "10.1.2.1", "10.1.2.254", "10.1.2.1")]
    [InlineData("10.0.0.0/8", "10.0.0.1", "10.255.255.254", "10.0.0.1")]
    [InlineData("192.168.0.0/30", "192.168.0.1", "192.168.0.2", "192.168.0.1")]
    [InlineData("2001:db8::/64", "2001:db8::1", "2001:db8::ffff:ffff:ffff:ffff", "2001:db8::1")]
    [InlineData("fd00::/126", "fd00::1", "fd00::3", "fd00::1")]
    public void Canonicalize_FillsReferenceDefaults(string subnet, string start, string end, string gateway)
    {
        var range = new Range(IPPrefix.Parse(subnet));
        range.Canonicalize();
        Assert.Equal(IPAddress.Parse(start), range.RangeStart);
        Assert.Equal(IPAddress.Parse(end), range.RangeEnd);
        Assert.Equal(IPAddress.Parse(gateway), range.Gateway);
        Assert.Equal($"{start}-{end}", range.ToString());
    }

    [Fact]
    public void Canonicalize_KeepsExplicitValues()
    {
        var range = new Range(IPPrefix.Parse("10.1.2.0/24"), IPAddress.Parse("10.1.2.10"), IPAddress.Parse("10.1.2.20"), IPAddress.Parse("10.1.2.254"));
        range.Canonicalize();
        Assert.Equal("10.1.2.10-10.1.2.20", range.ToString());
        Assert.Equal(IPAddress.Parse("10.1.2.254"), range.Gateway);
        Assert.Equal(UInt128.CreateChecked(11), range.AllocatableCount);
    }

    [Fact]
    public void Contains_RespectsStartEndAndFamily()
    {
        var range = new Range(IPPrefix.Parse("10.1.2.0/24"), IPAddress.Parse("10.1.2.10"), IPAddress.Parse("10.1.2.20"));
        range.Canonicalize();
        Assert.True(range.Contains(IPAddress.Parse("10.1.2.10")));
        Assert.True(range.Contains(IPAddress.Parse("10.1.2.20")));
        Assert.True(range.Contains(IPAddress.Parse("::ffff:10.1.2.15")));
        Assert.False(range.Contains(IPAddress.Parse("10.1.2.9")));
        Assert.False(range.Contains(IPAddress.Parse("10.1.2.21")));
        Assert.False(range.Contains(IPAddress.Parse("::a01:20f")));
    }

    [Fact]
    public void AllocatableCount_ExcludesGatewayInsideTheRange()
    {
        var range = new Range(IPPrefix.Parse("10.1.2.0/24"));
        range.Canonicalize();
        Assert.Equal(UInt128.CreateChecked(253), range.AllocatableCount);
    }
}
