namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_CHAIN_* attributes (linux/netfilter/nf_tables.h).</summary>
internal enum NftChainAttr : ushort
{
    Table = 1,
    Handle = 2,
    Name = 3,
    Hook = 4,           // nested NFTA_HOOK_*: only base chains have one
    Policy = 5,         // __be32 verdict: NF_ACCEPT/NF_DROP
    Use = 6,
    Type = 7,           // "filter", "nat", "route"
}
