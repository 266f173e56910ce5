namespace CniSharp.Interop;

/// <summary>
/// The Linux errno values CniSharp reacts to (asm-generic/errno-base.h, errno.h). Ours, not Tmds.LibC's: C# patterns
/// and switches need constants, and its errno values are properties. Every architecture CniSharp ships for uses the
/// asm-generic numbers; a unit test pins each member to Tmds.LibC's value for each of them.
/// </summary>
internal enum Errno
{
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    ENOTDIR = 20,
    ENOTTY = 25,
    EINVAL = 22,
    ENOSPC = 28,
    EROFS = 30,
    ERANGE = 34,
    ENAMETOOLONG = 36,
    ENOSYS = 38,
    EPROTO = 71,
    EPROTONOSUPPORT = 93,
    ENOBUFS = 105,
    EOPNOTSUPP = 95,
    EAFNOSUPPORT = 97,
    EADDRNOTAVAIL = 99,
    ENETUNREACH = 101,
    ENOTSUP = EOPNOTSUPP,
}
