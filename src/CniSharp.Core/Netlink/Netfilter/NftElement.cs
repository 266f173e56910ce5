namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// One set or map element: its key (the range's first key in an interval set), the range's last key in a
/// concatenated interval set, a map's value, its flags, and a comment nft shows (CniSharp writes the owner).
/// </summary>
internal sealed record NftElement(byte[] Key)
{
    /// <summary>NFTA_SET_ELEM_KEY_END: the last key of the range (concatenated interval sets only).</summary>
    public byte[]? KeyEnd { get; init; }

    /// <summary>NFTA_SET_ELEM_DATA: the value, for a map.</summary>
    public byte[]? Data { get; init; }

    public NftSetElemFlags Flags { get; init; }

    /// <summary>The comment in the element's user data (nft's NFTNL_UDATA_SET_ELEM_COMMENT).</summary>
    public string? Comment { get; init; }

    /// <summary>nft's "interval open" mark: a range running to the top of the key space has no end element.</summary>
    public bool IntervalOpen { get; init; }
}
