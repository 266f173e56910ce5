namespace CniSharp.Netlink.Netfilter;

/// <summary>NFT_CT_* keys of the ct expression.</summary>
internal enum NftCtKey : uint
{
    State = 0,
    Direction = 1,
    Status = 2,         // 4 bytes, host order, IPS_* bits
    Mark = 3,
}
