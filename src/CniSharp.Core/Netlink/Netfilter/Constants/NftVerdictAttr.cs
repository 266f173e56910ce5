namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_VERDICT_* attributes (linux/netfilter/nf_tables.h).</summary>
internal enum NftVerdictAttr : ushort
{
    Code = 1,           // __be32, signed NftVerdict
    Chain = 2,          // the target of a jump or goto
}
