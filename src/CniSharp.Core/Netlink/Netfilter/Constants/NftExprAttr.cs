namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_EXPR_* attributes: one expression of a rule (linux/netfilter/nf_tables.h).</summary>
internal enum NftExprAttr : ushort
{
    Name = 1,           // "meta", "cmp", "payload", ...
    Data = 2,           // nested, the expression's own attributes
}
