namespace CniSharp.Netlink.Netfilter;

/// <summary>NFT_META_* keys of the meta expression.</summary>
internal enum NftMetaKey : uint
{
    Mark = 3,
    Iif = 4,
    Oif = 5,
    IifName = 6,        // 16 bytes, NUL-padded
    OifName = 7,
    NfProto = 15,       // 1 byte: NFPROTO_IPV4/IPV6 (inet tables)
    L4Proto = 16,       // 1 byte: IPPROTO_*
}
