using System.Runtime.InteropServices;
using TmdsLibC = Tmds.Linux.LibC;

namespace CniSharp.Interop;

internal static partial class LibC
{
    internal static uint geteuid() => TmdsLibC.geteuid();

    internal static unsafe int link(string oldpath, string newpath)
    {
        fixed (byte* from = CString(oldpath, "link"))
        fixed (byte* to = CString(newpath, "link"))
            return TmdsLibC.link(from, to);
    }

    internal static unsafe nint write(SafeHandle fd, byte* buf, nuint count)
    {
        using FdLease lease = Lease(fd);
        return (nint)(long)TmdsLibC.write(lease.Fd, buf, (Tmds.Linux.size_t)(ulong)count);
    }

    internal static unsafe nint read(SafeHandle fd, byte* buf, nuint count)
    {
        using FdLease lease = Lease(fd);
        return (nint)(long)TmdsLibC.read(lease.Fd, buf, (Tmds.Linux.size_t)(ulong)count);
    }
}
