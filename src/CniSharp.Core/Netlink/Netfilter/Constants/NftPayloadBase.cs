namespace CniSharp.Netlink.Netfilter;

/// <summary>NFT_PAYLOAD_* header bases.</summary>
internal enum NftPayloadBase : uint
{
    LinkLayerHeader = 0,
    NetworkHeader = 1,
    TransportHeader = 2,
}
