using System.Runtime.InteropServices;
using TmdsLibC = Tmds.Linux.LibC;

namespace CniSharp.Interop;

internal static partial class LibC
{
    /// <summary>
    /// open(2) flags, from Tmds.LibC. Not an enum: O_DIRECTORY and O_NOFOLLOW are 0x10000/0x20000 on x86-64 but
    /// 0x4000/0x8000 on arm64, where 0x20000 is O_LARGEFILE (an enum of x86-64 values made O_NOFOLLOW a no-op there).
    /// </summary>
    internal static class OpenFlags
    {
        internal static int O_RDONLY => TmdsLibC.O_RDONLY;
        internal static int O_WRONLY => TmdsLibC.O_WRONLY;
        internal static int O_CREAT => TmdsLibC.O_CREAT;
        internal static int O_EXCL => TmdsLibC.O_EXCL;
        internal static int O_APPEND => TmdsLibC.O_APPEND;
        internal static int O_DIRECTORY => TmdsLibC.O_DIRECTORY;
        internal static int O_NOFOLLOW => TmdsLibC.O_NOFOLLOW;
        internal static int O_CLOEXEC => TmdsLibC.O_CLOEXEC;
    }

    /// <summary>Opens with O_CLOEXEC always: a descriptor must not leak into an exec'd IPAM plugin.</summary>
    internal static unsafe SafeFileDescriptor open(string pathname, int flags, uint mode = 0)
    {
        int fd;
        fixed (byte* path = CString(pathname, "open"))
            fd = TmdsLibC.open(path, flags | OpenFlags.O_CLOEXEC, (ushort)mode);
        return new SafeFileDescriptor(Check(fd, "open", pathname));
    }

    // flock(2) is ours: Tmds.LibC 0.5.0 declares fcntl locks (struct flock) but not flock(). LOCK_* are the same on
    // every Linux architecture (asm-generic/fcntl.h).
    internal enum LockOperations
    {
        LOCK_SH = 1,
        LOCK_EX = 2,
        LOCK_NB = 4,
        LOCK_UN = 8,
    }

    // int flock(int fd, int operation);  -- blocks unless LOCK_NB, unlike .NET's FileStream locking.
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int flock(SafeHandle fd, LockOperations operation);
}
