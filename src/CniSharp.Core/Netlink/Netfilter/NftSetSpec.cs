namespace CniSharp.Netlink.Netfilter;

/// <summary>A named set or map to create: key type and length, flags, a map's value type, concatenated fields.</summary>
internal sealed record NftSetSpec(string Name, uint KeyType, int KeyLength)
{
    public NftSetFlags Flags { get; init; }

    public uint? DataType { get; init; }

    public int? DataLength { get; init; }

    /// <summary>The unpadded length of each field of a concatenated key; interval concatenations need them.</summary>
    public IReadOnlyList<int>? ConcatFieldLengths { get; init; }
}
