namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_BITWISE_* attributes of the bitwise expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftBitwiseAttr : ushort
{
    SourceRegister = 1,
    DestinationRegister = 2,
    Length = 3,
    Mask = 4,           // nested NFTA_DATA_VALUE
    Xor = 5,            // nested NFTA_DATA_VALUE
}
