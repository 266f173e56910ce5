using System.Runtime.InteropServices;
using CniSharp.Interop;

namespace CniSharp.Namespaces;

/// <summary>
/// An open network namespace file (a bind mount under /var/run/netns, or /proc/PID/ns/net). Holding the fd keeps
/// the namespace alive while we work in it, and lets netlink place a veth peer in it (IFLA_NET_NS_FD).
/// </summary>
internal sealed partial class NetNamespace : IDisposable
{
    private NetNamespace(string path, SafeFileDescriptor handle)
    {
        Path = path;
        Handle = handle;
    }

    public string Path { get; }

    public SafeFileDescriptor Handle { get; }

    /// <summary>Opens a namespace path, refusing files that are not network namespaces (statfs magic, then the type).</summary>
    /// <exception cref="NetNamespaceNotFoundException">The path does not exist: the container is gone.</exception>
    public static NetNamespace Open(string path)
    {
        SafeFileDescriptor fd;
        try
        {
            fd = LibC.open(path, LibC.OpenFlags.O_RDONLY);
        }
        catch (UnixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            throw new NetNamespaceNotFoundException(path);
        }
        var ns = new NetNamespace(path, fd);
        try
        {
            ns.EnsureIsNamespace();
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private const string CurrentThreadPath = "/proc/thread-self/ns/net";

    /// <summary>
    /// The namespace of the calling thread (per-thread: setns moves only one thread). The kernel's own net file:
    /// it needs none of the checks a path from outside gets.
    /// </summary>
    public static NetNamespace OpenCurrent() => new(CurrentThreadPath, LibC.open(CurrentThreadPath, LibC.OpenFlags.O_RDONLY));

    /// <summary>True when both handles name one namespace (nsfs gives each namespace one inode).</summary>
    public unsafe bool IsSameAs(NetNamespace other) => Identity() == other.Identity();

    public void Dispose() => Handle.Dispose();

    private unsafe void EnsureIsNamespace()
    {
        LibC.StatFs stat;
        LibC.Check(LibC.fstatfs(Handle, &stat), "statfs", Path);
        if (stat.f_type != LibC.NSFS_MAGIC && stat.f_type != LibC.PROC_SUPER_MAGIC)
            throw new NotANamespaceException(Path);
        // /proc/PID/ns/uts is nsfs too: only the type says it is a network namespace.
        int type = LibC.ioctl(Handle, LibC.NS_GET_NSTYPE);
        bool isNetwork = type >= 0
            ? type == LibC.CLONE_NEWNET
            : IsTypeQueryUnavailable(Marshal.GetLastPInvokeError()) && SetnsAcceptsAsNetwork(Path, Handle);
        if (!isNetwork)
            throw new NotANamespaceException(Path);
    }

    /// <summary>
    /// NS_GET_NSTYPE does not exist here: ENOTTY from a kernel before 4.11, ENOSYS from qemu-user (it does not
    /// emulate the ioctl, so an arm64 build tested on x86-64 sees this).
    /// </summary>
    internal static bool IsTypeQueryUnavailable(int errno) => errno is (int)Errno.ENOTTY or (int)Errno.ENOSYS;

    /// <summary>
    /// The check where NS_GET_NSTYPE is missing: setns(CLONE_NEWNET) refuses a namespace of another kind with EINVAL,
    /// so <see cref="Run"/> enters and leaves once. (The fd's /proc/self/fd link would name the kind, "net:[...]", only
    /// for /proc/PID/ns paths: a bind mount under /var/run/netns reads as its mount path.) Any other failure, e.g.
    /// EPERM, is not this check's to report: the real work meets it again and reports it with its errno.
    /// </summary>
    internal static bool SetnsAcceptsAsNetwork(string path, SafeFileDescriptor candidate)
    {
        // Not disposed: the descriptor stays the caller's.
        var probe = new NetNamespace(path, candidate);
        try
        {
            probe.Run(_ => { });
            return true;
        }
        catch (UnixException e) when (e.Operation == "setns")
        {
            return e.Errno != Errno.EINVAL;
        }
        catch (UnixException)
        {
            return true;
        }
    }

    private unsafe (uint Major, uint Minor, ulong Inode) Identity()
    {
        Tmds.Linux.statx stx;
        LibC.Check(LibC.statx(Handle, "", LibC.AT_EMPTY_PATH, LibC.STATX_INO, &stx), "statx", Path);
        return (stx.stx_dev_major, stx.stx_dev_minor, stx.stx_ino);
    }
}

/// <summary>The namespace path does not exist, which for DEL means there is nothing left inside to clean.</summary>
internal sealed class NetNamespaceNotFoundException(string path)
    : Exception($"network namespace \"{path}\" does not exist")
{
    public string Path { get; } = path;
}

/// <summary>The path exists but is not a namespace file.</summary>
internal sealed class NotANamespaceException(string path)
    : Exception($"\"{path}\" is not a network namespace (expected an nsfs or /proc/PID/ns/net path)")
{
    public string Path { get; } = path;
}
