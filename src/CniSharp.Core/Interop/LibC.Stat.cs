using System.Runtime.InteropServices;
using TmdsLibC = Tmds.Linux.LibC;

namespace CniSharp.Interop;

internal static partial class LibC
{
    // statfs(2) is ours: Tmds.LibC has statvfs(3) only, whose struct has no f_type, the field that tells nsfs.
    // linux/magic.h
    internal const long NSFS_MAGIC = 0x6e736673;
    internal const long PROC_SUPER_MAGIC = 0x9fa0;

    /// <summary>struct statfs on 64-bit Linux (x86_64, aarch64: both asm-generic with 64-bit words): 120 bytes, f_type first.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct StatFs
    {
        public long f_type;
        public long f_bsize;
        public ulong f_blocks;
        public ulong f_bfree;
        public ulong f_bavail;
        public ulong f_files;
        public ulong f_ffree;
        public fixed int f_fsid[2];
        public long f_namelen;
        public long f_frsize;
        public long f_flags;
        public fixed long f_spare[4];
    }

    // int fstatfs(int fd, struct statfs *buf);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial int fstatfs(SafeHandle fd, StatFs* buf);

    internal static int AT_EMPTY_PATH => TmdsLibC.AT_EMPTY_PATH;
    internal static uint STATX_INO => TmdsLibC.STATX_INO;

    /// <summary>statx(2) (glibc 2.28+): one struct layout on every architecture, unlike struct stat.</summary>
    internal static unsafe int statx(SafeHandle dirfd, string pathname, int flags, uint mask, Tmds.Linux.statx* statxbuf)
    {
        using FdLease lease = Lease(dirfd);
        fixed (byte* path = CString(pathname, "statx"))
            return TmdsLibC.statx(lease.Fd, path, flags, mask, statxbuf);
    }
}
