namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_NAT_* attributes of the nat expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftNatAttr : ushort
{
    Type = 1,           // __be32 NFT_NAT_SNAT/DNAT
    Family = 2,         // __be32 NFPROTO_IPV4/IPV6
    AddressMinRegister = 3,
    AddressMaxRegister = 4,
    ProtoMinRegister = 5,
    ProtoMaxRegister = 6,
    Flags = 7,
}
