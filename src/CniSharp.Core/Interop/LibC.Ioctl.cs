using System.Runtime.InteropServices;
using TmdsLibC = Tmds.Linux.LibC;

namespace CniSharp.Interop;

internal static partial class LibC
{
    // Ours: Tmds.LibC has no linux/nsfs.h. NSIO 0xb7; NS_GET_NSTYPE _IO(NSIO, 0x3) returns the CLONE_NEW* type of an
    // nsfs fd (Linux 4.11+). _IO() encodes the same on x86-64 and arm64 (asm-generic/ioctl.h).
    internal const int NS_GET_NSTYPE = 0xb703;

    /// <summary>ioctl(2) with no argument.</summary>
    internal static int ioctl(SafeHandle fd, int request)
    {
        using FdLease lease = Lease(fd);
        return TmdsLibC.ioctl(lease.Fd, request);
    }
}
