using System.Runtime.InteropServices;

namespace CniSharp.Interop;

internal static partial class LibC
{
    // sched.h
    internal const int CLONE_NEWNET = 0x40000000;

    // int setns(int fd, int nstype);  -- acts on the calling thread only.
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int setns(SafeHandle fd, int nstype);

    // int unshare(int flags);  -- acts on the calling thread only for CLONE_NEWNET.
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int unshare(int flags);
}
