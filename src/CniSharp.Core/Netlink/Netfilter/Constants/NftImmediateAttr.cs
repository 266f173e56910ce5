namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_IMMEDIATE_* attributes of the immediate expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftImmediateAttr : ushort
{
    DestinationRegister = 1,
    Data = 2,
}
