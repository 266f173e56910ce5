namespace CniSharp.Netlink;

/// <summary>
/// The NLMSG_* control message types every netlink protocol shares (linux/netlink.h). Each family numbers its
/// own messages from <see cref="MinType"/> up (RTM_*, NFNL subsystem &lt;&lt; 8 | message, ...), in its own enum.
/// </summary>
internal enum NlMsgType : ushort
{
    Noop = 1,          // NLMSG_NOOP
    Error = 2,         // NLMSG_ERROR: an ACK (error 0) or a failure
    Done = 3,          // NLMSG_DONE: the end of a multipart reply
    Overrun = 4,       // NLMSG_OVERRUN
    MinType = 0x10,    // NLMSG_MIN_TYPE: below it, control messages; from it, the family's own
}
