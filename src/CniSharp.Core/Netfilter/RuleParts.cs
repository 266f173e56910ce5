using System.Net.Sockets;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>The expression runs nft writes for the IP matches CniSharp's rules share, per address family.</summary>
internal static class RuleParts
{
    /// <summary>meta nfproto ipv4|ipv6: in an inet table, the check nft puts before any ip/ip6 payload.</summary>
    public static NftRuleWriter IsFamily(this NftRuleWriter rule, AddressFamily family) =>
        rule.Meta(NftMetaKey.NfProto, NftRegister.R1)
            .Cmp(NftRegister.R1, NftCmpOp.Eq, [(byte)(family == AddressFamily.InterNetwork ? NfProto.Ipv4 : NfProto.Ipv6)]);

    /// <summary>ip saddr / ip6 saddr into <paramref name="register"/>.</summary>
    public static NftRuleWriter LoadSource(this NftRuleWriter rule, AddressFamily family, NftRegister register) =>
        family == AddressFamily.InterNetwork
            ? rule.Payload(NftPayloadBase.NetworkHeader, 12, 4, register)
            : rule.Payload(NftPayloadBase.NetworkHeader, 8, 16, register);

    /// <summary>ip daddr / ip6 daddr into <paramref name="register"/>.</summary>
    public static NftRuleWriter LoadDestination(this NftRuleWriter rule, AddressFamily family, NftRegister register) =>
        family == AddressFamily.InterNetwork
            ? rule.Payload(NftPayloadBase.NetworkHeader, 16, 4, register)
            : rule.Payload(NftPayloadBase.NetworkHeader, 24, 16, register);

    /// <summary>ct status dnat: the connection's destination was translated (IPS_DST_NAT, host order).</summary>
    public static NftRuleWriter IsDestinationNatted(this NftRuleWriter rule) =>
        rule.Ct(NftCtKey.Status, NftRegister.R1)
            .Bitwise(NftRegister.R1, NftRegister.R1, BitConverter.GetBytes(IpsDstNat), [0, 0, 0, 0])
            .Cmp(NftRegister.R1, NftCmpOp.Neq, [0, 0, 0, 0]);

    private const uint IpsDstNat = 1 << 5; // IPS_DST_NAT (linux/netfilter/nf_conntrack_common.h)
}
