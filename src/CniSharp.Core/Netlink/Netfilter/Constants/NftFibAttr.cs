namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_FIB_* attributes of the fib expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftFibAttr : ushort
{
    DestinationRegister = 1,
    Result = 2,         // __be32 NFT_FIB_RESULT_*
    Flags = 3,          // __be32 NFTA_FIB_F_*
}
