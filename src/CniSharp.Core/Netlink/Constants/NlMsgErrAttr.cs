namespace CniSharp.Netlink;

/// <summary>NLMSGERR_ATTR_* extended-ack attributes after an NLMSG_ERROR or NLMSG_DONE (linux/netlink.h).</summary>
internal enum NlMsgErrAttr : ushort
{
    Msg = 1,           // NLMSGERR_ATTR_MSG: NUL-terminated text
    Offset = 2,        // NLMSGERR_ATTR_OFFS: offset of the offending attribute in the request
    Cookie = 3,        // NLMSGERR_ATTR_COOKIE
    Policy = 4,        // NLMSGERR_ATTR_POLICY
}
