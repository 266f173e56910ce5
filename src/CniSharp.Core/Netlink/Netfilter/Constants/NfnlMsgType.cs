namespace CniSharp.Netlink.Netfilter;

/// <summary>nfnetlink's own message types (linux/netfilter/nfnetlink.h), framing a transaction.</summary>
internal enum NfnlMsgType : ushort
{
    BatchBegin = 0x10, // NFNL_MSG_BATCH_BEGIN (= NLMSG_MIN_TYPE): res_id names the subsystem
    BatchEnd = 0x11,   // NFNL_MSG_BATCH_END: commit; a batch without it is only validated
}
