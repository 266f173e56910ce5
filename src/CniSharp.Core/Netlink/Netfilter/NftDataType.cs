namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// nft's datatype ids (nftables src/datatype.h), sent as NFTA_SET_KEY_TYPE/DATA_TYPE. The kernel only stores
/// them; nft uses them to print elements. A concatenation's id packs its fields' ids 6 bits each.
/// </summary>
internal static class NftDataType
{
    public const uint Verdict = 1;
    public const uint Ipv4Address = 7;
    public const uint Ipv6Address = 8;
    public const uint EtherAddress = 9;
    public const uint InetProto = 12;
    public const uint InetService = 13;
    public const uint IfName = 41;

    /// <summary>The id of a concatenated type, first field in the highest bits (concat_subtype_add).</summary>
    public static uint Concat(params ReadOnlySpan<uint> fields)
    {
        uint id = 0;
        foreach (uint field in fields)
            id = (id << 6) | field;
        return id;
    }
}
