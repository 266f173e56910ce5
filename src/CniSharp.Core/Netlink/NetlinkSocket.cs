using System.Runtime.InteropServices;
using CniSharp.Interop;

namespace CniSharp.Netlink;

/// <summary>
/// An AF_NETLINK socket of one <see cref="NetlinkProtocol"/>. It acts on the network namespace of the thread
/// that created it, for its whole life, whichever thread uses it later.
/// </summary>
internal sealed unsafe class NetlinkSocket : INetlinkTransport
{
    // The kernel sizes dump datagrams by the largest receive buffer seen, capped at 32 KiB
    // (netlink_recvmsg: max_recvmsg_len), so one 32 KiB buffer takes any dump part without truncation.
    private const int InitialBufferSize = 32 * 1024;

    private readonly SafeFileDescriptor _fd;
    private byte[] _buffer = new byte[InitialBufferSize];

    private NetlinkSocket(SafeFileDescriptor fd, uint portId)
    {
        _fd = fd;
        PortId = portId;
    }

    public uint PortId { get; }

    /// <summary>Opens and binds a socket of <paramref name="protocol"/> with extended acks on, in the calling thread's namespace.</summary>
    public static NetlinkSocket Open(NetlinkProtocol protocol)
    {
        SafeFileDescriptor fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, (int)protocol);
        try
        {
            // Extended acks add the kernel's reason text; capped acks stop errors echoing the whole request.
            SetOption(fd, LibC.NETLINK_EXT_ACK, 1);
            SetOption(fd, LibC.NETLINK_CAP_ACK, 1);
            var address = new LibC.SockAddrNetlink { nl_family = LibC.AF_NETLINK };
            LibC.Check(LibC.bind(fd, &address, (uint)sizeof(LibC.SockAddrNetlink)), "bind", "netlink socket");
            // nl_pid 0 at bind time lets the kernel pick a unique port id; read back which one.
            uint length = (uint)sizeof(LibC.SockAddrNetlink);
            LibC.Check(LibC.getsockname(fd, &address, &length), "getsockname", "netlink socket");
            return new NetlinkSocket(fd, address.nl_pid);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Joins a multicast group (RTNLGRP_*, NFNLGRP_*), so notifications queue on this socket.</summary>
    public void Subscribe(int group) => SetOption(_fd, LibC.NETLINK_ADD_MEMBERSHIP, group);

    public void Unsubscribe(int group) => SetOption(_fd, LibC.NETLINK_DROP_MEMBERSHIP, group);

    public void Send(ReadOnlySpan<byte> datagram)
    {
        var kernel = new LibC.SockAddrNetlink { nl_family = LibC.AF_NETLINK };
        fixed (byte* data = datagram)
        {
            nint sent;
            while ((sent = LibC.sendto(_fd, data, (nuint)datagram.Length, 0, &kernel, (uint)sizeof(LibC.SockAddrNetlink))) < 0
                   && Marshal.GetLastPInvokeError() == (int)Errno.EINTR)
            {
            }
            LibC.Check(sent, "sendto", "netlink socket");
        }
    }

    public ReadOnlySpan<byte> Receive(out uint senderPortId)
    {
        TryReceive(blocking: true, out ReadOnlySpan<byte> datagram, out senderPortId);
        return datagram;
    }

    public bool TryReceiveQueued(out ReadOnlySpan<byte> datagram, out uint senderPortId) =>
        TryReceive(blocking: false, out datagram, out senderPortId);

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a datagram to be readable.</summary>
    public bool Poll(int timeoutMs)
    {
        bool added = false;
        _fd.DangerousAddRef(ref added);
        try
        {
            var pollFd = new LibC.PollFd { fd = _fd.Fd, events = LibC.POLLIN };
            int ready = LibC.poll(&pollFd, 1, timeoutMs);
            if (ready < 0 && Marshal.GetLastPInvokeError() == (int)Errno.EINTR)
                return false;
            return LibC.Check(ready, "poll", "netlink socket") > 0;
        }
        finally
        {
            if (added)
                _fd.DangerousRelease();
        }
    }

    /// <summary>Reads one datagram; with <paramref name="blocking"/> false, returns false when none is queued.</summary>
    public bool TryReceive(bool blocking, out ReadOnlySpan<byte> datagram, out uint senderPortId)
    {
        int dontWait = blocking ? 0 : LibC.MSG_DONTWAIT;
        while (true)
        {
            // MSG_PEEK|MSG_TRUNC with no buffer reports the datagram's real size without consuming it, so an
            // oversized reply (e.g. a link with many VFs) grows the buffer instead of being cut off.
            nint size = LibC.recvfrom(_fd, null, 0, LibC.MSG_PEEK | LibC.MSG_TRUNC | dontWait, null, null);
            if (size >= 0)
            {
                if (size > _buffer.Length)
                    _buffer = new byte[Math.Max((int)size, _buffer.Length * 2)];
                var source = new LibC.SockAddrNetlink();
                uint sourceLength = (uint)sizeof(LibC.SockAddrNetlink);
                fixed (byte* buffer = _buffer)
                    size = LibC.recvfrom(_fd, buffer, (nuint)_buffer.Length, dontWait, &source, &sourceLength);
                if (size >= 0)
                {
                    datagram = _buffer.AsSpan(0, (int)size);
                    senderPortId = source.nl_pid;
                    return true;
                }
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == (int)Errno.EINTR)
                continue;
            datagram = default;
            senderPortId = 0;
            if (!blocking && errno == (int)Errno.EAGAIN)
                return false;
            throw new UnixException(errno, "recvfrom", "netlink socket");
        }
    }

    public void Dispose() => _fd.Dispose();

    private static void SetOption(SafeFileDescriptor fd, int option, int value) =>
        LibC.Check(LibC.setsockopt(fd, LibC.SOL_NETLINK, option, &value, sizeof(int)), "setsockopt", $"netlink option {option}");
}
