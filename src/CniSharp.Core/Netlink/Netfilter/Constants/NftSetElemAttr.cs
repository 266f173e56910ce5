namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_SET_ELEM_* attributes of one element (linux/netfilter/nf_tables.h).</summary>
internal enum NftSetElemAttr : ushort
{
    Key = 1,            // nested NFTA_DATA_VALUE
    Data = 2,           // nested NFTA_DATA_VALUE or NFTA_DATA_VERDICT: a map element's value
    Flags = 3,          // __be32 NftSetElemFlags
    Timeout = 4,
    Expiration = 5,
    UserData = 6,       // opaque to the kernel; nft reads a comment TLV from it
    Expr = 7,
    ObjRef = 8,
    KeyEnd = 10,        // nested NFTA_DATA_VALUE: the last key of a range in a concatenated interval set
}
