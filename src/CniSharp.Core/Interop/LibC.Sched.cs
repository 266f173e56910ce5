using System.Runtime.InteropServices;
using TmdsLibC = Tmds.Linux.LibC;

namespace CniSharp.Interop;

internal static partial class LibC
{
    internal static int CLONE_NEWNET => TmdsLibC.CLONE_NEWNET;

    /// <summary>setns(2): acts on the calling thread only.</summary>
    internal static int setns(SafeHandle fd, int nstype)
    {
        using FdLease lease = Lease(fd);
        return TmdsLibC.setns(lease.Fd, nstype);
    }

    /// <summary>unshare(2): acts on the calling thread only for CLONE_NEWNET.</summary>
    internal static int unshare(int flags) => TmdsLibC.unshare(flags);
}
