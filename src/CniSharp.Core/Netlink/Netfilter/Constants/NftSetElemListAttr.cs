namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_SET_ELEM_LIST_* attributes: the body of NEWSETELEM/DELSETELEM/GETSETELEM (linux/netfilter/nf_tables.h).</summary>
internal enum NftSetElemListAttr : ushort
{
    Table = 1,
    Set = 2,
    Elements = 3,        // nested list of elements
    SetId = 4,
}
