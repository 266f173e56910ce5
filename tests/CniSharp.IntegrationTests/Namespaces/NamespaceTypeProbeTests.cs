using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Interop;
using CniSharp.Namespaces;

namespace CniSharp.IntegrationTests.Namespaces;

/// <summary>
/// The type check NetNamespace falls back to where NS_GET_NSTYPE is missing (kernels before 4.11, qemu-user):
/// exercised directly here, since this kernel answers the ioctl and Open never reaches it.
/// </summary>
[Collection(KernelCollection.Name)]
public class NamespaceTypeProbeTests
{
    [RootFact]
    public void Probe_AcceptsABindMountedNetworkNamespace_AndLeavesThisThreadWhereItWas()
    {
        using var ns = new TestNamespace("probe");
        using NetNamespace before = NetNamespace.OpenCurrent();
        using SafeFileDescriptor fd = LibC.open(ns.Path, LibC.OpenFlags.O_RDONLY);

        Assert.True(NetNamespace.SetnsAcceptsAsNetwork(ns.Path, fd));
        Assert.False(fd.IsClosed);

        using NetNamespace after = NetNamespace.OpenCurrent();
        Assert.True(before.IsSameAs(after));
    }

    [RootTheory]
    [InlineData("/proc/self/ns/uts")]
    [InlineData("/proc/self/ns/ipc")]
    public void Probe_RefusesANamespaceOfAnotherKind(string path)
    {
        using SafeFileDescriptor fd = LibC.open(path, LibC.OpenFlags.O_RDONLY);
        Assert.False(NetNamespace.SetnsAcceptsAsNetwork(path, fd));
    }

    [RootFact]
    public void Open_RefusesAUtsNamespace_WithTheIoctl()
    {
        Assert.Throws<NotANamespaceException>(() => NetNamespace.Open("/proc/self/ns/uts"));
    }
}
