namespace CniSharp.Netlink;

/// <summary>
/// nlmsg_flags (linux/netlink.h). The high byte means different things per message kind: GET requests
/// (Root/Match), NEW requests (Replace/Excl/Create/Append), and NLMSG_ERROR replies (Capped/AckTlvs).
/// </summary>
[Flags]
internal enum NlmFlags : ushort
{
    None = 0,
    Request = 0x1,      // NLM_F_REQUEST
    Multi = 0x2,        // NLM_F_MULTI: part of a multipart reply, ended by NLMSG_DONE
    Ack = 0x4,          // NLM_F_ACK
    Echo = 0x8,         // NLM_F_ECHO
    DumpIntr = 0x10,    // NLM_F_DUMP_INTR: the table changed during the dump; it may be inconsistent
    DumpFiltered = 0x20, // NLM_F_DUMP_FILTERED

    Root = 0x100,       // NLM_F_ROOT
    Match = 0x200,      // NLM_F_MATCH
    Dump = Root | Match, // NLM_F_DUMP

    Replace = 0x100,    // NLM_F_REPLACE
    Excl = 0x200,       // NLM_F_EXCL
    Create = 0x400,     // NLM_F_CREATE
    Append = 0x800,     // NLM_F_APPEND

    Capped = 0x100,     // NLM_F_CAPPED: the error echoes only the request header
    AckTlvs = 0x200,    // NLM_F_ACK_TLVS: extended-ack attributes follow
}
