namespace CniSharp.Netlink.Netfilter;

/// <summary>ctnetlink message types (linux/netfilter/nfnetlink_conntrack.h): NFNL_SUBSYS_CTNETLINK &lt;&lt; 8 | IPCTNL_MSG_CT_*.</summary>
internal enum CtnlMsgType : ushort
{
    New = 0x0100,
    Get = 0x0101,
    Delete = 0x0102,    // with a full tuple: that entry; without, or with CTA_FILTER: every entry that matches
}
