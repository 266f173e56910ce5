namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_TABLE_* attributes (linux/netfilter/nf_tables.h).</summary>
internal enum NftTableAttr : ushort
{
    Name = 1,
    Flags = 2,          // __be32 NFT_TABLE_F_*
    Use = 3,
    Handle = 4,
}
