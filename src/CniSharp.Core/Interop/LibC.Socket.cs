using System.Runtime.InteropServices;
using Tmds.Linux;
using TmdsLibC = Tmds.Linux.LibC;

namespace CniSharp.Interop;

internal static partial class LibC
{
    // sys/socket.h, from Tmds.LibC (SOCK_CLOEXEC, SOL_SOCKET and SO_* differ on some architectures).
    /// <summary>A sa_family_t (unsigned short), as sockaddr_nl.nl_family takes it.</summary>
    internal static ushort AF_NETLINK => (ushort)(int)TmdsLibC.AF_NETLINK;
    internal static int SOCK_RAW => TmdsLibC.SOCK_RAW;
    internal static int SOCK_CLOEXEC => TmdsLibC.SOCK_CLOEXEC;
    internal static int SOL_SOCKET => TmdsLibC.SOL_SOCKET;
    internal static int SO_SNDBUF => TmdsLibC.SO_SNDBUF;
    internal static int SO_RCVBUF => TmdsLibC.SO_RCVBUF;
    internal static int SO_RCVTIMEO => TmdsLibC.SO_RCVTIMEO;
    internal static int SOL_NETLINK => TmdsLibC.SOL_NETLINK;
    internal static int MSG_PEEK => TmdsLibC.MSG_PEEK;
    internal static int MSG_DONTWAIT => TmdsLibC.MSG_DONTWAIT;
    internal static int MSG_TRUNC => TmdsLibC.MSG_TRUNC;

    // linux/netlink.h is ours: Tmds.LibC has no netlink protocols, options or sockaddr_nl.
    internal const int NETLINK_ROUTE = 0;
    internal const int NETLINK_NETFILTER = 12;
    internal const int NETLINK_ADD_MEMBERSHIP = 1;
    internal const int NETLINK_DROP_MEMBERSHIP = 2;
    internal const int NETLINK_CAP_ACK = 10;
    internal const int NETLINK_EXT_ACK = 11;
    internal const int NETLINK_GET_STRICT_CHK = 12;

    /// <summary>struct sockaddr_nl (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrNetlink
    {
        public ushort nl_family;
        public ushort nl_pad;
        public uint nl_pid;
        public uint nl_groups;
    }

    /// <summary>socket(2) with SOCK_CLOEXEC always: a socket must not leak into an exec'd IPAM plugin.</summary>
    internal static SafeFileDescriptor socket(int domain, int type, int protocol) =>
        new(Check(TmdsLibC.socket(domain, type | SOCK_CLOEXEC, protocol), "socket"));

    internal static unsafe int bind(SafeHandle sockfd, SockAddrNetlink* addr, uint addrlen)
    {
        using FdLease lease = Lease(sockfd);
        return TmdsLibC.bind(lease.Fd, (sockaddr*)addr, addrlen);
    }

    internal static unsafe int getsockname(SafeHandle sockfd, SockAddrNetlink* addr, uint* addrlen)
    {
        using FdLease lease = Lease(sockfd);
        return TmdsLibC.getsockname(lease.Fd, (sockaddr*)addr, (socklen_t*)addrlen);
    }

    internal static unsafe int setsockopt(SafeHandle sockfd, int level, int optname, void* optval, uint optlen)
    {
        using FdLease lease = Lease(sockfd);
        return TmdsLibC.setsockopt(lease.Fd, level, optname, optval, optlen);
    }

    internal static unsafe nint sendto(SafeHandle sockfd, byte* buf, nuint len, int flags, SockAddrNetlink* dest, uint addrlen)
    {
        using FdLease lease = Lease(sockfd);
        return (nint)(long)TmdsLibC.sendto(lease.Fd, buf, (size_t)(ulong)len, flags, (sockaddr*)dest, addrlen);
    }

    internal static unsafe nint recvfrom(SafeHandle sockfd, byte* buf, nuint len, int flags, SockAddrNetlink* src, uint* addrlen)
    {
        using FdLease lease = Lease(sockfd);
        return (nint)(long)TmdsLibC.recvfrom(lease.Fd, buf, (size_t)(ulong)len, flags, (sockaddr*)src, (socklen_t*)addrlen);
    }
}
