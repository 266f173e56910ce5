namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_SET_FIELD_* attributes: one field of a concatenated key (linux/netfilter/nf_tables.h).</summary>
internal enum NftSetFieldAttr : ushort
{
    Length = 1,         // __be32 bytes, unpadded
}
