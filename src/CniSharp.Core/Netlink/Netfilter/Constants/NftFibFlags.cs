namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_FIB_F_* flags: which address the lookup is for.</summary>
[Flags]
internal enum NftFibFlags : uint
{
    None = 0,
    SourceAddress = 1,
    DestinationAddress = 2,
    Mark = 4,
    Iif = 8,
    Oif = 16,
}
