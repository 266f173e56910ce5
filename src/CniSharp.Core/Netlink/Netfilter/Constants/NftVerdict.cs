namespace CniSharp.Netlink.Netfilter;

/// <summary>Verdict codes: NF_DROP/NF_ACCEPT and NFT_* (signed, sent as __be32).</summary>
internal enum NftVerdict : int
{
    Drop = 0,
    Accept = 1,
    Continue = -1,
    Break = -2,
    Jump = -3,
    Goto = -4,
    Return = -5,
}
