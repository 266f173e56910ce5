namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_DATA_* attributes: a key, a value or a verdict (linux/netfilter/nf_tables.h).</summary>
internal enum NftDataAttr : ushort
{
    Value = 1,
    Verdict = 2,        // nested NFTA_VERDICT_*
}
