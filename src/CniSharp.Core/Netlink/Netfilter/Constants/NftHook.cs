namespace CniSharp.Netlink.Netfilter;

/// <summary>Netfilter hooks of the inet, ip, ip6 and bridge families (NF_INET_*, NF_BR_* share the numbers).</summary>
internal enum NftHook : uint
{
    Prerouting = 0,
    Input = 1,
    Forward = 2,
    Output = 3,
    Postrouting = 4,
}
