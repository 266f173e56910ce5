namespace CniSharp.Netlink.Netfilter;

/// <summary>NFT_SET_* set flags.</summary>
[Flags]
internal enum NftSetFlags : uint
{
    None = 0,
    Anonymous = 0x1,
    Constant = 0x2,
    Interval = 0x4,     // elements are ranges (rbtree; pipapo when concatenated)
    Map = 0x8,          // elements carry a value
    Timeout = 0x10,
    Eval = 0x20,
    Object = 0x40,
    Concat = 0x80,      // the key is several fields (needed with Interval)
}
