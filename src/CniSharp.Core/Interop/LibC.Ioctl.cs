using System.Runtime.InteropServices;

namespace CniSharp.Interop;

internal static partial class LibC
{
    // linux/nsfs.h: NSIO 0xb7; NS_GET_NSTYPE _IO(NSIO, 0x3) returns the CLONE_NEW* type of an nsfs fd (Linux 4.11+).
    internal const nuint NS_GET_NSTYPE = 0xb703;

    // int ioctl(int fd, unsigned long request, ...);  -- only argument-less requests are declared here.
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int ioctl(SafeHandle fd, nuint request);
}
