namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_META_* attributes of the meta expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftMetaAttr : ushort
{
    DestinationRegister = 1,
    Key = 2,
    SourceRegister = 3,
}
