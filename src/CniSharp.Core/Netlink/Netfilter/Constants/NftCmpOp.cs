namespace CniSharp.Netlink.Netfilter;

/// <summary>NFT_CMP_* operators.</summary>
internal enum NftCmpOp : uint
{
    Eq = 0,
    Neq = 1,
    Lt = 2,
    Lte = 3,
    Gt = 4,
    Gte = 5,
}
