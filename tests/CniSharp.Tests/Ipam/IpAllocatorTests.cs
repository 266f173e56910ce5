using System.Net;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Ipam.HostLocal;
using Range = CniSharp.Ipam.HostLocal.Range;

namespace CniSharp.Tests.Ipam;

public class IpAllocatorTests
{
    private static RangeSet Set(params string[] ranges)
    {
        // "subnet[,start,end[,gateway]]"
        var set = new RangeSet(ranges.Select(text =>
        {
            string[] f = text.Split(',');
            IPAddress? At(int i) => f.Length > i && f[i].Length > 0 ? IPAddress.Parse(f[i]) : null;
            return new Range(IPPrefix.Parse(f[0]), At(1), At(2), At(3));
        }).ToList());
        set.Canonicalize();
        return set;
    }

    private static string Next(IpAllocator allocator, string id = "c", string ifName = "eth0") =>
        allocator.Get(id + Guid.NewGuid().ToString("N"), ifName, null).Address.ToString();

    [Fact]
    public void FreshStore_StartsAtRangeStartSkippingTheGateway()
    {
        var store = new FakeIpamStore();
        using var _ = store.Lock();
        var allocator = new IpAllocator(Set("10.1.2.0/24"), store, 0);
        CniIPConfig ip = allocator.Get("c1", "eth0", null);
        Assert.Equal("10.1.2.2/24", ip.Address.ToString());
        Assert.Equal(IPAddress.Parse("10.1.2.1"), ip.Gateway);
        Assert.Null(ip.Interface);
        Assert.Equal("10.1.2.3/24", Next(allocator));
    }

    [Fact]
    public void MovedGateway_MakesDotOneAllocatable()
    {
        var store = new FakeIpamStore();
        using var _ = store.Lock();
        var allocator = new IpAllocator(Set("10.1.2.0/24,,,10.1.2.254"), store, 0);
        Assert.Equal("10.1.2.1/24", Next(allocator));
        store.WithLastReserved(0, "10.1.2.252");
        Assert.Equal("10.1.2.253/24", Next(allocator));
        // .254 is the gateway and the end is .254: wrap to .2 (.1 is taken)
        Assert.Equal("10.1.2.2/24", Next(allocator));
    }

    [Theory]
    [InlineData(null, "10.1.2.2")]            // from the start
    [InlineData("10.1.2.2", "10.1.2.3")]      // from the middle: last + 1
    [InlineData("10.1.2.100", "10.1.2.101")]
    [InlineData("10.1.2.254", "10.1.2.2")]    // from the end: wrap, skipping the gateway .1
    [InlineData("10.9.9.9", "10.1.2.2")]      // marker outside the set: start over
    public void RoundRobin_ContinuesAfterLastReserved(string? last, string expected)
    {
        var store = new FakeIpamStore();
        if (last is not null) store.WithLastReserved(0, last);
        using var _ = store.Lock();
        Assert.Equal(expected + "/24", Next(new IpAllocator(Set("10.1.2.0/24"), store, 0)));
    }

    [Fact]
    public void RoundRobin_SkipsTakenAddresses()
    {
        var store = new FakeIpamStore().WithLastReserved(0, "10.1.2.9")
            .Reserved("10.1.2.10", "x\r\neth0").Reserved("10.1.2.11", "y\r\neth0");
        using var _ = store.Lock();
        Assert.Equal("10.1.2.12/24", Next(new IpAllocator(Set("10.1.2.0/24"), store, 0)));
    }

    [Fact]
    public void RoundRobin_WrapsAcrossRanges()
    {
        var set = Set("10.1.1.0/24,10.1.1.10,10.1.1.11", "10.1.2.0/24,10.1.2.20,10.1.2.21", "10.1.3.0/24,10.1.3.30,10.1.3.30");
        var store = new FakeIpamStore().WithLastReserved(0, "10.1.2.20");
        using var _ = store.Lock();
        var allocator = new IpAllocator(set, store, 0);
        string[] expected = ["10.1.2.21/24", "10.1.3.30/24", "10.1.1.10/24", "10.1.1.11/24", "10.1.2.20/24"];
        Assert.Equal(expected, expected.Select(_ => Next(allocator)));
        var ex = Assert.Throws<CniException>(() => Next(allocator));
        Assert.Equal(CniErrorCode.TryAgainLater, ex.Code);
        Assert.Equal("no IP addresses available in range set: 10.1.1.10-10.1.1.11,10.1.2.20-10.1.2.21,10.1.3.30-10.1.3.30", ex.Message);
    }

    [Fact]
    public void LastReservedIsTriedLast()
    {
        var set = Set("10.1.2.0/29");  // .1 gateway, allocatable .2-.6
        var store = new FakeIpamStore().WithLastReserved(0, "10.1.2.4")
            .Reserved("10.1.2.5", "a").Reserved("10.1.2.6", "b").Reserved("10.1.2.2", "c").Reserved("10.1.2.3", "d");
        using var _ = store.Lock();
        Assert.Equal("10.1.2.4/29", Next(new IpAllocator(set, store, 0)));
    }

    [Fact]
    public void Exhaustion_IsCode11WithTheReferenceMessage()
    {
        var store = new FakeIpamStore().Reserved("10.1.2.2", "a");
        using var _ = store.Lock();
        var ex = Assert.Throws<CniException>(() => Next(new IpAllocator(Set("10.1.2.0/30"), store, 0)));
        Assert.Equal(CniErrorCode.TryAgainLater, ex.Code);
        Assert.Equal("no IP addresses available in range set: 10.1.2.1-10.1.2.2", ex.Message);
    }

    [Fact]
    public void RequestedIp_Free_IsReservedAndBecomesTheMarker()
    {
        var store = new FakeIpamStore();
        using var _ = store.Lock();
        CniIPConfig ip = new IpAllocator(Set("10.1.2.0/24"), store, 3).Get("c1", "eth0", IPAddress.Parse("10.1.2.77"));
        Assert.Equal("10.1.2.77/24", ip.Address.ToString());
        Assert.Equal("c1\r\neth0", store.Owners[IPAddress.Parse("10.1.2.77")]);
        Assert.Equal(IPAddress.Parse("10.1.2.77"), store.LastReserved[3]);
    }

    [Fact]
    public void RequestedIp_Taken_Fails()
    {
        var store = new FakeIpamStore().Reserved("10.1.2.77", "other\r\neth0");
        using var _ = store.Lock();
        var ex = Assert.Throws<CniException>(() => new IpAllocator(Set("10.1.2.0/24"), store, 0).Get("c1", "eth0", IPAddress.Parse("10.1.2.77")));
        Assert.Equal("requested IP address 10.1.2.77 is not available in range set 10.1.2.1-10.1.2.254", ex.Message);
    }

    [Fact]
    public void RequestedIp_Gateway_Fails()
    {
        var store = new FakeIpamStore();
        using var _ = store.Lock();
        var ex = Assert.Throws<CniException>(() => new IpAllocator(Set("10.1.2.0/24"), store, 0).Get("c1", "eth0", IPAddress.Parse("10.1.2.1")));
        Assert.Equal("requested ip 10.1.2.1 is subnet's gateway", ex.Message);
        Assert.Empty(store.Owners);
    }

    [Fact]
    public void RequestedIp_OutsideTheSet_Fails()
    {
        var store = new FakeIpamStore();
        using var _ = store.Lock();
        var ex = Assert.Throws<CniException>(() => new IpAllocator(Set("10.1.2.0/24"), store, 0).Get("c1", "eth0", IPAddress.Parse("10.1.3.5")));
        Assert.Equal("10.1.3.5 not in range set 10.1.2.1-10.1.2.254", ex.Message);
    }

    [Fact]
    public void Duplicate_SameAttachmentInTheSet_Fails()
    {
        var store = new FakeIpamStore().Reserved("10.1.2.9", "c1\r\neth0");
        using var _ = store.Lock();
        var ex = Assert.Throws<CniException>(() => new IpAllocator(Set("10.1.2.0/24"), store, 0).Get("c1", "eth0", null));
        Assert.Equal("10.1.2.9 has been allocated to c1, duplicate allocation is not allowed", ex.Message);
        // Another interface of the same container is a different attachment.
        Assert.Equal("10.1.2.2/24", new IpAllocator(Set("10.1.2.0/24"), store, 0).Get("c1", "eth1", null).Address.ToString());
    }

    [Fact]
    public void Ipv6_UsesTheWholeSubnetAfterTheGateway()
    {
        var store = new FakeIpamStore().WithLastReserved(0, "2001:db8::fffe");
        using var _ = store.Lock();
        var allocator = new IpAllocator(Set("2001:db8::/112"), store, 0);
        Assert.Equal("2001:db8::ffff/112", Next(allocator));
        Assert.Equal("2001:db8::2/112", Next(allocator));
        CniIPConfig ip = allocator.Get("v6", "eth0", null);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), ip.Gateway);
    }
}
