namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_SET_* attributes (linux/netfilter/nf_tables.h).</summary>
internal enum NftSetAttr : ushort
{
    Table = 1,
    Name = 2,
    Flags = 3,          // __be32 NftSetFlags
    KeyType = 4,        // __be32 datatype id (nft's, for display and typing)
    KeyLength = 5,      // __be32 bytes
    DataType = 6,       // __be32, maps only
    DataLength = 7,     // __be32, maps only
    Policy = 8,
    Desc = 9,           // nested NFTA_SET_DESC_*
    Id = 10,
    Timeout = 11,
    GcInterval = 12,
    UserData = 13,
    Pad = 14,
    ObjType = 15,
    Handle = 16,
}
