using System.Net.Sockets;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// The nf_tables tables CniSharp owns and nothing else touches: "inet cnisharp" (masquerade, host ports) and
/// "bridge cnisharp" (MAC spoof check). Each is created lazily, together with what uses it, in one
/// transaction. They sit beside kube-proxy's, iptables-nft's and the reference plugins' tables
/// (cni_plugins_masquerade, cni_hostport) without changing them; netfilter runs every table's chains.
/// </summary>
internal static class CnisharpTables
{
    public const string Name = "cnisharp";

    public const NfProto Inet = NfProto.Inet;

    public const NfProto Bridge = NfProto.Bridge;

    /// <summary>"4" or "6": the suffix of per-family set names.</summary>
    public static string Suffix(AddressFamily family) => family == AddressFamily.InterNetwork ? "4" : "6";

    public static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];
}
