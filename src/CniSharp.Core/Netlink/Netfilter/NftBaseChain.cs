namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// What makes a chain a base chain: its type ("filter", "nat"), the hook it is attached to and its priority
/// (nat: dstnat -100, srcnat 100; bridge filter: -300 runs before the bridge's own "dstnat").
/// </summary>
internal sealed record NftBaseChain(string Type, NftHook Hook, int Priority)
{
    public const int DstNat = -100;
    public const int SrcNat = 100;
    public const int BridgeDstNat = -300;
}
