using System.Net.NetworkInformation;
using CniSharp.Interop;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netlink.Route;

public class RouteNetlinkLinkTests
{
    [RootFact]
    public void AddBridge_ThenGetLink_ReportsBridgeKindAndMtu() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddBridge("br-test", 1400, vlanFiltering: false);

        LinkInfo bridge = nl.GetLink("br-test")!;
        Assert.Equal("bridge", bridge.Kind);
        Assert.Equal(1400, bridge.Mtu);
        Assert.False(bridge.VlanFiltering);
        Assert.Equal(6, bridge.Mac!.GetAddressBytes().Length);
        Assert.Equal(bridge, nl.GetLink(bridge.Index));
        Assert.Contains(nl.ListLinks(), l => l.Name == "br-test" && l.Kind == "bridge");
        Assert.Contains(nl.ListLinks(), l => l.Name == "lo" && (l.Flags & LinkFlags.Loopback) != 0);
        // ip(8) in this thread's namespace sees it too: the socket acted here, not in the host.
        Assert.Contains("br-test", RunIp("link show br-test"));
    });

    [RootFact]
    public void AddBridge_WithVlanFiltering_FailsWithEopnotsuppAndCreatesNothing() => Run(() =>
    {
        // This kernel has no CONFIG_BRIDGE_VLAN_FILTERING; the bridge must not be left behind half-made.
        using RouteNetlink nl = RouteNetlink.Open();
        var error = Assert.Throws<NetlinkException>(() => nl.AddBridge("br-vlan", null, vlanFiltering: true));
        Assert.Equal(Errno.EOPNOTSUPP, error.Errno);
        Assert.Contains("add bridge \"br-vlan\"", error.Message);
        Assert.Null(nl.GetLink("br-vlan"));
    });

    [RootFact]
    public void SetBridgeVlanFiltering_OnThisKernel_FailsWithEopnotsuppEvenForOff() => Run(() =>
    {
        // Without CONFIG_BRIDGE_VLAN_FILTERING the bridge driver refuses IFLA_BR_VLAN_FILTERING outright,
        // whatever its value (ip link set br0 type bridge vlan_filtering 0 fails the same way).
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddBridge("br0", null, false);
        int index = nl.GetLink("br0")!.Index;
        var on = Assert.Throws<NetlinkException>(() => nl.SetBridgeVlanFiltering(index, true));
        Assert.Equal(Errno.EOPNOTSUPP, on.Errno);
        Assert.StartsWith("set \"br0\" vlan_filtering 1", on.Message);
        Assert.Equal(Errno.EOPNOTSUPP, Assert.Throws<NetlinkException>(() => nl.SetBridgeVlanFiltering(index, false)).Errno);
        Assert.False(nl.GetLink(index)!.VlanFiltering);
    });

    [RootFact]
    public void AddLink_Twice_FailsWithEexist() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddBridge("br-dup", null, false);
        var error = Assert.Throws<NetlinkException>(() => nl.AddBridge("br-dup", null, false));
        Assert.Equal(Errno.EEXIST, error.Errno);

        nl.AddVeth(new VethRequest { Name = "vdup0", PeerName = "vdup1" });
        var vethError = Assert.Throws<NetlinkException>(() => nl.AddVeth(new VethRequest { Name = "vdup0", PeerName = "vdup2" }));
        Assert.Equal(Errno.EEXIST, vethError.Errno);
        Assert.Contains("add veth \"vdup0\" (peer \"vdup2\")", vethError.Message);
    });

    [RootFact]
    public void GetLink_OfMissingNameOrIndex_IsNull() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        Assert.Null(nl.GetLink("nosuchlink0"));
        Assert.Null(nl.GetLink(987654));
    });

    [RootFact]
    public void AddVeth_WithPeerInOtherNamespace_CreatesPeerThereWithNameMacMtu()
    {
        using var peerNs = new NamedNetns();
        Run(() =>
        {
            using RouteNetlink nl = RouteNetlink.Open();
            nl.AddVeth(new VethRequest
            {
                Name = "vhost0",
                PeerName = "eth0",
                PeerNamespace = peerNs.Handle,
                Mtu = 1450,
                Mac = PhysicalAddress.Parse("02-00-00-00-00-0A"),
                PeerMac = PhysicalAddress.Parse("02-00-00-00-00-0B"),
            });

            LinkInfo host = nl.GetLink("vhost0")!;
            Assert.Equal("veth", host.Kind);
            Assert.Equal(1450, host.Mtu);
            Assert.Equal(PhysicalAddress.Parse("02-00-00-00-00-0A"), host.Mac);
            Assert.NotNull(host.ParentIndex);
            Assert.Null(nl.GetLink("eth0"));

            // Looked at while the private netns lives: its teardown takes the whole veth pair with it.
            string peer = RunIp($"-n {peerNs.Name} link show eth0");
            Assert.Contains("mtu 1450", peer);
            Assert.Contains("link/ether 02:00:00:00:00:0b", peer);
        });
    }

    [RootFact]
    public void SetOperations_RoundTripThroughGetLink() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddBridge("br0", null, false);
        nl.AddVeth(new VethRequest { Name = "va", PeerName = "vb" });
        int bridge = nl.GetLink("br0")!.Index;
        int va = nl.GetLink("va")!.Index;
        var mac = PhysicalAddress.Parse("02-11-22-33-44-55");

        nl.SetMaster(va, bridge);
        nl.SetMtu(va, 1280);
        nl.SetMacAddress(va, mac);
        nl.SetAlias(va, "container xyz");
        nl.SetPromiscuous(va, true);
        nl.SetLinkUp(va);
        nl.SetBridgePort(va, hairpin: true, isolated: true);

        LinkInfo link = nl.GetLink(va)!;
        Assert.Equal(bridge, link.MasterIndex);
        Assert.Equal(1280, link.Mtu);
        Assert.Equal(mac, link.Mac);
        Assert.Equal("container xyz", link.Alias);
        Assert.True((link.Flags & LinkFlags.Promisc) != 0);
        Assert.True(link.IsUp);
        Assert.True(link.Hairpin);
        Assert.True(link.Isolated);
        Assert.Contains("hairpin on", RunIp("-d link show va"));

        nl.SetBridgePort(va, hairpin: false);
        nl.SetPromiscuous(va, false);
        nl.SetLinkUp(va, false);
        link = nl.GetLink(va)!;
        Assert.False(link.Hairpin);
        Assert.True(link.Isolated);
        Assert.False((link.Flags & LinkFlags.Promisc) != 0);
        Assert.False(link.IsUp);
    });

    [RootFact]
    public void DeleteLink_RemovesIt_AndAgainFailsWithEnodev() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddBridge("br-del", null, false);
        int index = nl.GetLink("br-del")!.Index;
        nl.DeleteLink(index);
        Assert.Null(nl.GetLink("br-del"));
        var error = Assert.Throws<NetlinkException>(() => nl.DeleteLink(index));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Contains($"delete link {index}", error.Message);
    });

    [RootFact]
    public void SetLinkUp_OfMissingIndex_NamesTheIndex() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        var error = Assert.Throws<NetlinkException>(() => nl.SetLinkUp(424242));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.StartsWith("set link 424242 up", error.Message);
    });

    [RootFact]
    public void WaitForOperUp_ReturnsUpOnceBothVethEndsAreUp() => Run(() =>
    {
        using RouteNetlink nl = RouteNetlink.Open();
        nl.AddVeth(new VethRequest { Name = "vw0", PeerName = "vw1" });
        int a = nl.GetLink("vw0")!.Index, b = nl.GetLink("vw1")!.Index;
        nl.SetLinkUp(a);

        // One end up: carrier is missing until the peer comes up.
        Assert.Equal(OperState.LowerLayerDown, nl.WaitForOperUp(a, TimeSpan.FromMilliseconds(50)));

        // A thread started here inherits this thread's namespace, so its ip(8) raises our peer while we wait.
        Exception? raiseFailure = null;
        var raise = new Thread(() =>
        {
            try { Thread.Sleep(50); RunIp("link set vw1 up"); }
            catch (Exception e) { raiseFailure = e; }
        });
        raise.Start();
        Assert.Equal(OperState.Up, nl.WaitForOperUp(a, TimeSpan.FromSeconds(5)));
        raise.Join();
        Assert.Null(raiseFailure);
        Assert.Equal(OperState.Up, nl.GetLink(b)!.OperState);
    });
}
