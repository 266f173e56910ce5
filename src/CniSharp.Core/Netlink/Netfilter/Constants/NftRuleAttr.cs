namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_RULE_* attributes (linux/netfilter/nf_tables.h).</summary>
internal enum NftRuleAttr : ushort
{
    Table = 1,
    Chain = 2,
    Handle = 3,
    Expressions = 4,    // nested list of NFTA_LIST_ELEM, one per expression
}
