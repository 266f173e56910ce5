using System.Net;
using System.Net.Sockets;
using CniSharp.Interop;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Ip;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netlink.Route;

public class RouteNetlinkAddressTests
{
    [RootFact]
    public void AddAddress_IPv4_SetsBroadcast_ListsAndDeletes() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddVeth(new VethRequest { Name = "va", PeerName = "vb" });
        int index = nl.GetLink("va")!.Index;

        nl.AddAddress(index, IPPrefix.Parse("10.1.2.3/24"));

        AddressInfo address = Assert.Single(nl.ListAddresses(index, AddressFamily.InterNetwork));
        Assert.Equal(IPPrefix.Parse("10.1.2.3/24"), address.Address);
        Assert.Equal(index, address.Index);
        Assert.Equal(0, address.Scope);
        Assert.Contains("inet 10.1.2.3/24 brd 10.1.2.255", RunIp("addr show va"));
        Assert.Empty(nl.ListAddresses(index, AddressFamily.InterNetworkV6));
        Assert.Contains(nl.ListAddresses(), a => a.Address == IPPrefix.Parse("10.1.2.3/24"));

        var duplicate = Assert.Throws<NetlinkException>(() => nl.AddAddress(index, IPPrefix.Parse("10.1.2.3/24")));
        Assert.Equal(Errno.EEXIST, duplicate.Errno);
        Assert.Contains("add address 10.1.2.3/24 to \"va\"", duplicate.Message);
        Assert.Equal("ipv4: Address already assigned", duplicate.ExtAck);

        nl.DeleteAddress(index, IPPrefix.Parse("10.1.2.3/24"));
        Assert.Empty(nl.ListAddresses(index, AddressFamily.InterNetwork));
        var missing = Assert.Throws<NetlinkException>(() => nl.DeleteAddress(index, IPPrefix.Parse("10.1.2.3/24")));
        Assert.Equal(Errno.EADDRNOTAVAIL, missing.Errno);
    });

    [RootFact]
    public void AddAddress_IPv4Slash32_HasNoBroadcast() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddVeth(new VethRequest { Name = "va", PeerName = "vb" });
        nl.AddAddress(nl.GetLink("va")!.Index, IPPrefix.Parse("10.9.9.9/32"));
        string shown = RunIp("addr show va");
        Assert.Contains("inet 10.9.9.9/32", shown);
        Assert.DoesNotContain("brd 10.9", shown);
    });

    [RootFact]
    public void AddAddress_IPv6WithNoDad_IsNotTentative() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddVeth(new VethRequest { Name = "va", PeerName = "vb" });
        int index = nl.GetLink("va")!.Index;
        nl.SetLinkUp(index);
        nl.SetLinkUp(nl.GetLink("vb")!.Index);

        nl.AddAddress(index, IPPrefix.Parse("fd00:1::5/64"), AddressFlags.NoDad);

        AddressInfo address = Assert.Single(nl.ListAddresses(index, AddressFamily.InterNetworkV6),
            a => a.Address.Address.Equals(IPAddress.Parse("fd00:1::5")));
        Assert.Equal(64, address.Address.PrefixLength);
        Assert.True((address.Flags & AddressFlags.NoDad) != 0);
        Assert.True((address.Flags & AddressFlags.Tentative) == 0);
        Assert.True((address.Flags & AddressFlags.Permanent) != 0);

        nl.DeleteAddress(index, IPPrefix.Parse("fd00:1::5/64"));
        Assert.DoesNotContain(nl.ListAddresses(index, AddressFamily.InterNetworkV6),
            a => a.Address.Address.Equals(IPAddress.Parse("fd00:1::5")));
    });
}
