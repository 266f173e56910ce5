using System.Runtime.InteropServices;
using CniSharp.Interop;

namespace CniSharp.Files;

/// <summary>
/// The one way CniSharp locks across processes: flock(LOCK_EX) on a lock file, blocking, as go-filemutex does
/// (so the Go host-local waits for us and we for it). Closing the returned descriptor drops the lock.
/// </summary>
internal static class FileLock
{
    /// <summary>Opens (creating) <paramref name="path"/> and waits for the exclusive lock; EINTR restarts the wait.</summary>
    public static SafeFileDescriptor Acquire(string path)
    {
        SafeFileDescriptor fd = LibC.open(path, LibC.OpenFlags.O_RDONLY | LibC.OpenFlags.O_CREAT, FileModes.OwnerReadWrite);
        while (LibC.flock(fd, LibC.LockOperations.LOCK_EX) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == (int)Errno.EINTR) continue;
            fd.Dispose();
            throw new UnixException(errno, "flock", path);
        }
        return fd;
    }
}
