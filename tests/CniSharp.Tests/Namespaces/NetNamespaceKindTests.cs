using CniSharp.Interop;
using CniSharp.Namespaces;

namespace CniSharp.Tests.Namespaces;

/// <summary>When NetNamespace falls back from NS_GET_NSTYPE to its setns probe.</summary>
public class NetNamespaceKindTests
{
    [Theory]
    [InlineData((int)Errno.ENOTTY, true)]  // a kernel before 4.11
    [InlineData((int)Errno.ENOSYS, true)]  // qemu-user
    [InlineData((int)Errno.EBADF, false)]
    [InlineData((int)Errno.EINVAL, false)]
    [InlineData((int)Errno.EPERM, false)]
    public void TypeQuery_IsUnavailable_OnlyForENOTTYAndENOSYS(int errno, bool unavailable) =>
        Assert.Equal(unavailable, NetNamespace.IsTypeQueryUnavailable(errno));
}
