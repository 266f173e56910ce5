namespace CniSharp.Netlink.Netfilter;

/// <summary>nf_tables message types (linux/netfilter/nf_tables.h): NFNL_SUBSYS_NFTABLES &lt;&lt; 8 | NFT_MSG_*.</summary>
internal enum NftMsgType : ushort
{
    NewTable = 0x0a00,  // NFT_MSG_NEWTABLE
    GetTable = 0x0a01,
    DelTable = 0x0a02,
    NewChain = 0x0a03,
    GetChain = 0x0a04,
    DelChain = 0x0a05,
    NewRule = 0x0a06,
    GetRule = 0x0a07,
    DelRule = 0x0a08,
    NewSet = 0x0a09,
    GetSet = 0x0a0a,
    DelSet = 0x0a0b,
    NewSetElem = 0x0a0c, // also each element of a set dump
    GetSetElem = 0x0a0d,
    DelSetElem = 0x0a0e, // without elements: flush the set
    NewGen = 0x0a0f,    // the ruleset generation, answer to GetGen
    GetGen = 0x0a10,
}
