using System.Runtime.InteropServices;

namespace CniSharp.Interop;

internal static partial class LibC
{
    // sys/socket.h, linux/netlink.h
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOL_SOCKET = 1;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_RCVTIMEO = 20;
    internal const int SOL_NETLINK = 270;
    internal const int NETLINK_ROUTE = 0;
    internal const int NETLINK_NETFILTER = 12;
    internal const int NETLINK_ADD_MEMBERSHIP = 1;
    internal const int NETLINK_DROP_MEMBERSHIP = 2;
    internal const int NETLINK_CAP_ACK = 10;
    internal const int NETLINK_EXT_ACK = 11;
    internal const int NETLINK_GET_STRICT_CHK = 12;
    internal const int MSG_PEEK = 0x2;
    internal const int MSG_DONTWAIT = 0x40;
    internal const int MSG_TRUNC = 0x20;

    /// <summary>struct sockaddr_nl (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrNetlink
    {
        public ushort nl_family;
        public ushort nl_pad;
        public uint nl_pid;
        public uint nl_groups;
    }

    /// <summary>struct timeval on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeVal
    {
        public long tv_sec;
        public long tv_usec;
    }

    // int socket(int domain, int type, int protocol);
    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    private static partial int socket_raw(int domain, int type, int protocol);

    internal static SafeFileDescriptor socket(int domain, int type, int protocol)
    {
        int fd = Check(socket_raw(domain, type | SOCK_CLOEXEC, protocol), "socket");
        return new SafeFileDescriptor(fd);
    }

    // int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial int bind(SafeHandle sockfd, SockAddrNetlink* addr, uint addrlen);

    // int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial int getsockname(SafeHandle sockfd, SockAddrNetlink* addr, uint* addrlen);

    // int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial int setsockopt(SafeHandle sockfd, int level, int optname, void* optval, uint optlen);

    // ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest, socklen_t addrlen);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial nint sendto(SafeHandle sockfd, byte* buf, nuint len, int flags, SockAddrNetlink* dest, uint addrlen);

    // ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct sockaddr *src, socklen_t *addrlen);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial nint recvfrom(SafeHandle sockfd, byte* buf, nuint len, int flags, SockAddrNetlink* src, uint* addrlen);
}
