namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_SET_DESC_* attributes nested in NFTA_SET_DESC (linux/netfilter/nf_tables.h).</summary>
internal enum NftSetDescAttr : ushort
{
    Size = 1,
    Concat = 2,         // nested list of NFTA_LIST_ELEM { NFTA_SET_FIELD_LEN }
}
