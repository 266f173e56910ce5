namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_LOOKUP_* attributes of the lookup expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftLookupAttr : ushort
{
    Set = 1,
    SourceRegister = 2,
    DestinationRegister = 3, // maps: where the value goes
    SetId = 4,
    Flags = 5,          // __be32 NFT_LOOKUP_F_INV: match when absent
}
