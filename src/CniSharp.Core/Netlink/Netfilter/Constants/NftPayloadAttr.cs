namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_PAYLOAD_* attributes of the payload expression (linux/netfilter/nf_tables.h).</summary>
internal enum NftPayloadAttr : ushort
{
    DestinationRegister = 1,
    Base = 2,
    Offset = 3,
    Length = 4,
}
