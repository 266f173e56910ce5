using CniSharp.Interop;

namespace CniSharp.Netlink;

/// <summary>The kernel refused a netlink request: the operation, errno, and the extended-ack text when sent.</summary>
internal sealed class NetlinkException : Exception
{
    public NetlinkException(string operation, int errno, string? extAck = null)
        : base(Describe(operation, errno, extAck))
    {
        Operation = operation;
        Errno = (Errno)errno;
        ExtAck = extAck;
    }

    public string Operation { get; }

    public Errno Errno { get; }

    /// <summary>NLMSGERR_ATTR_MSG, e.g. "Unknown device type"; often clearer than errno.</summary>
    public string? ExtAck { get; }

    private static string Describe(string operation, int errno, string? extAck) =>
        extAck is { Length: > 0 }
            ? $"{operation}: {UnixException.ErrnoText(errno)} ({(Errno)errno}): {extAck}"
            : $"{operation}: {UnixException.ErrnoText(errno)} ({(Errno)errno})";
}
