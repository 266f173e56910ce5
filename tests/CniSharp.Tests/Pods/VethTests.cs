using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Namespaces;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;
using Moq;

namespace CniSharp.Tests.Pods;

public class VethTests
{
    private static readonly CniArgs Args = new() { Command = CniCommand.Add, ContainerId = "c1", IfName = "eth0", NetNs = "/var/run/netns/p1" };

    [Theory]
    [InlineData(true, "host interface \"cnsx\" for container c1 (eth0) already exists: a previous ADD was not deleted; run DEL first")]
    [InlineData(false, "container interface \"eth0\" already exists in /var/run/netns/p1")]
    public void Create_SaysWhichEndClashed(bool hostEndExists, string message)
    {
        var nl = new Mock<IRouteNetlink>(MockBehavior.Strict);
        nl.Setup(n => n.AddVeth(It.IsAny<VethRequest>())).Throws(new NetlinkException("add veth", (int)Errno.EEXIST));
        nl.Setup(n => n.GetLink("cnsx")).Returns(hostEndExists ? new LinkInfo { Index = 3, Name = "cnsx", Kind = "veth" } : null);
        using NetNamespace netns = NetNamespace.OpenCurrent();
        var e = Assert.Throws<CniException>(() => Veth.Create(nl.Object, Args, netns, "cnsx", 1500, null));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Create_PutsTheContainerEndIntoTheNetnsInTheSameRequest_AndReturnsTheHostEnd()
    {
        var nl = new Mock<IRouteNetlink>(MockBehavior.Strict);
        VethRequest? sent = null;
        nl.Setup(n => n.AddVeth(It.IsAny<VethRequest>())).Callback((VethRequest r) => sent = r);
        var hostEnd = new LinkInfo { Index = 9, Name = "cnsx", Kind = "veth" };
        nl.Setup(n => n.GetLink("cnsx")).Returns(hostEnd);
        using NetNamespace netns = NetNamespace.OpenCurrent();
        Assert.Same(hostEnd, Veth.Create(nl.Object, Args, netns, "cnsx", 1400, null));
        Assert.Equal(("cnsx", "eth0", 1400), (sent!.Name, sent.PeerName, sent.Mtu));
        Assert.Same(netns.Handle, sent.PeerNamespace);
    }

    [Fact]
    public void DeleteHostEnd_DeletesOnlyAVeth_AndTakesENODEVAsDone()
    {
        var nl = new Mock<IRouteNetlink>(MockBehavior.Strict);
        nl.Setup(n => n.GetLink("cnsveth")).Returns(new LinkInfo { Index = 4, Name = "cnsveth", Kind = "veth" });
        nl.Setup(n => n.GetLink("cnsbridge")).Returns(new LinkInfo { Index = 5, Name = "cnsbridge", Kind = "bridge" });
        nl.Setup(n => n.GetLink("cnsnone")).Returns((LinkInfo?)null);
        nl.Setup(n => n.DeleteLink(4)).Throws(new NetlinkException("delete link", (int)Errno.ENODEV));

        Assert.True(Veth.DeleteHostEnd(nl.Object, "cnsveth"));
        Assert.False(Veth.DeleteHostEnd(nl.Object, "cnsbridge"));
        Assert.False(Veth.DeleteHostEnd(nl.Object, "cnsnone"));
        nl.Verify(n => n.DeleteLink(4), Times.Once);
    }

    [Fact]
    public void DeletePair_WithoutANetns_FindsTheDerivedHostEnd_AndTheRecordedOneWhenItDiffers()
    {
        var args = new CniArgs { Command = CniCommand.Del, ContainerId = "c1", IfName = "eth0", NetNs = "" };
        string derived = HostVethName.For("c1", "eth0");
        var nl = new Mock<IRouteNetlink>(MockBehavior.Strict);
        nl.Setup(n => n.GetLink(derived)).Returns((LinkInfo?)null);
        nl.Setup(n => n.GetLink("cnsrecorded")).Returns(new LinkInfo { Index = 6, Name = "cnsrecorded", Kind = "veth" });
        nl.Setup(n => n.DeleteLink(6));

        Veth.DeletePair(nl.Object, () => throw new InvalidOperationException("no netns to enter"), args, "cnsrecorded");

        nl.Verify(n => n.DeleteLink(6), Times.Once);
    }
}
