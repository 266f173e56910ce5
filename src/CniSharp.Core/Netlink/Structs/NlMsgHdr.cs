using System.Runtime.InteropServices;

namespace CniSharp.Netlink;

/// <summary>
/// struct nlmsghdr (linux/netlink.h), 16 bytes, in host byte order like every netlink header. The type is a
/// plain number: an <see cref="NlMsgType"/> control type, or one of the family's own.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgHdr
{
    public uint Length;        // nlmsg_len: header + payload, without trailing padding
    public ushort Type;        // nlmsg_type
    public NlmFlags Flags;     // nlmsg_flags
    public uint Sequence;      // nlmsg_seq
    public uint PortId;        // nlmsg_pid: 0 from the kernel
}
