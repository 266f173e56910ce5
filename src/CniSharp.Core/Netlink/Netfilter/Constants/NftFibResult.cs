namespace CniSharp.Netlink.Netfilter;

/// <summary>NFT_FIB_RESULT_* values.</summary>
internal enum NftFibResult : uint
{
    Oif = 1,
    OifName = 2,
    AddressType = 3,    // an RTN_* value, e.g. RTN_LOCAL
}
