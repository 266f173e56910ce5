namespace CniSharp.Netlink.Netfilter;

/// <summary>NFT_NAT_* types.</summary>
internal enum NftNatType : uint
{
    Snat = 0,
    Dnat = 1,
}
