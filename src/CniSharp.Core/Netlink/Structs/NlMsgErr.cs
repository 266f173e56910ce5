using System.Runtime.InteropServices;

namespace CniSharp.Netlink;

/// <summary>
/// struct nlmsgerr (linux/netlink.h), 20 bytes: the payload of NLMSG_ERROR. The echoed request header is
/// followed by the request's payload unless the reply carries NLM_F_CAPPED, then by NLMSGERR_ATTR_* TLVs
/// when it carries NLM_F_ACK_TLVS.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgErr
{
    public int Error;          // error: negative errno, 0 for an ACK
    public NlMsgHdr Request;   // msg: the request being answered
}
