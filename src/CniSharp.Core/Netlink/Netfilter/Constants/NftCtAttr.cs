namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_CT_* attributes of the ct expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftCtAttr : ushort
{
    DestinationRegister = 1,
    Key = 2,
    Direction = 3,
    SourceRegister = 4,
}
