namespace CniSharp.Netlink.Netfilter;

/// <summary>NFT_SET_ELEM_* element flags.</summary>
[Flags]
internal enum NftSetElemFlags : uint
{
    None = 0,
    IntervalEnd = 0x1,  // in an interval set: the first key after a range
    Catchall = 0x2,
}
