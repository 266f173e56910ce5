using System.Runtime.InteropServices;

namespace CniSharp.Interop;

internal static partial class LibC
{
    // int close(int fd);
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int close(int fd);

    // uid_t geteuid(void);
    [LibraryImport(Lib)]
    internal static partial uint geteuid();

    // pid_t getpid(void);
    [LibraryImport(Lib)]
    internal static partial int getpid();

    // int link(const char *oldpath, const char *newpath);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int link(string oldpath, string newpath);

    // int fsync(int fd);
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int fsync(SafeHandle fd);

    // ssize_t write(int fd, const void *buf, size_t count);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial nint write(SafeHandle fd, byte* buf, nuint count);

    // ssize_t read(int fd, void *buf, size_t count);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial nint read(SafeHandle fd, byte* buf, nuint count);
}
