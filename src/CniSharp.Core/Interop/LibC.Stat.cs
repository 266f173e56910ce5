using System.Runtime.InteropServices;

namespace CniSharp.Interop;

internal static partial class LibC
{
    // linux/magic.h
    internal const long NSFS_MAGIC = 0x6e736673;
    internal const long PROC_SUPER_MAGIC = 0x9fa0;

    /// <summary>struct statfs on 64-bit Linux (x86_64, aarch64): 120 bytes, f_type first.</summary>
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

    internal const int AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_INO = 0x100;

    /// <summary>struct statx (linux/stat.h): one layout on every architecture, unlike struct stat.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct Statx
    {
        public uint stx_mask;
        public uint stx_blksize;
        public ulong stx_attributes;
        public uint stx_nlink;
        public uint stx_uid;
        public uint stx_gid;
        public ushort stx_mode;
        public ushort spare0;
        public ulong stx_ino;
        public ulong stx_size;
        public ulong stx_blocks;
        public ulong stx_attributes_mask;
        public fixed byte timestamps[64];
        public uint stx_rdev_major;
        public uint stx_rdev_minor;
        public uint stx_dev_major;
        public uint stx_dev_minor;
        public fixed ulong spare2[14];
    }

    // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int statx(SafeHandle dirfd, string pathname, int flags, uint mask, Statx* statxbuf);
}
