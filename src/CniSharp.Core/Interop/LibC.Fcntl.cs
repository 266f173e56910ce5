using System.Runtime.InteropServices;

namespace CniSharp.Interop;

internal static partial class LibC
{
    [Flags]
    internal enum OpenFlags
    {
        O_RDONLY = 0x0,
        O_WRONLY = 0x1,
        O_RDWR = 0x2,
        O_CREAT = 0x40,
        O_EXCL = 0x80,
        O_NOCTTY = 0x100,
        O_TRUNC = 0x200,
        O_NONBLOCK = 0x800,
        O_DIRECTORY = 0x10000,
        O_NOFOLLOW = 0x20000,
        O_CLOEXEC = 0x80000,
    }

    internal enum LockOperations
    {
        LOCK_SH = 1,
        LOCK_EX = 2,
        LOCK_NB = 4,
        LOCK_UN = 8,
    }

    // int open(const char *pathname, int flags, mode_t mode);
    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open_raw(string pathname, OpenFlags flags, uint mode);

    internal static SafeFileDescriptor open(string pathname, OpenFlags flags, uint mode = 0)
    {
        int fd = Check(open_raw(pathname, flags | OpenFlags.O_CLOEXEC, mode), "open", pathname);
        return new SafeFileDescriptor(fd);
    }

    // int flock(int fd, int operation);  -- blocks unless LOCK_NB, unlike .NET's FileStream locking.
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int flock(SafeHandle fd, LockOperations operation);
}
