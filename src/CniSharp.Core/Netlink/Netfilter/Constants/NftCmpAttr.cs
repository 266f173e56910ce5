namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_CMP_* attributes of the cmp expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftCmpAttr : ushort
{
    SourceRegister = 1,
    Op = 2,
    Data = 3,           // nested NFTA_DATA_VALUE
}
