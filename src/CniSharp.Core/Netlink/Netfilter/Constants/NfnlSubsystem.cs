namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// NFNL_SUBSYS_* (linux/netfilter/nfnetlink.h): the high byte of an nfnetlink message type, and the res_id of a
/// batch-begin message naming the subsystem whose transaction the batch is.
/// </summary>
internal enum NfnlSubsystem : byte
{
    Ctnetlink = 1,     // NFNL_SUBSYS_CTNETLINK: conntrack entries
    NfTables = 10,     // NFNL_SUBSYS_NFTABLES
}
