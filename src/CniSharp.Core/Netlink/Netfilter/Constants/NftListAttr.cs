namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_LIST_* attributes: the items of a nested list (linux/netfilter/nf_tables.h).</summary>
internal enum NftListAttr : ushort
{
    Elem = 1,
}
