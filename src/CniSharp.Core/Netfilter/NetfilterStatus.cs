using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Netlink;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// STATUS for the features built on nf_tables: the kernel checks, without applying anything, the transaction
/// the feature's first use would send. Any refusal — no nf_tables, no NAT or masquerade support, no
/// CAP_NET_ADMIN — is CNI error 50 naming the feature and the kernel's reason.
/// </summary>
internal static class NetfilterStatus
{
    public static void Require(string feature, Action<NfTables> validate)
    {
        try
        {
            using NfTables nft = NfTables.Open();
            validate(nft);
        }
        catch (Exception e) when (e is NetlinkException or UnixException)
        {
            throw new CniException(CniErrorCode.NotAvailable,
                $"{feature} needs nf_tables, which this host refuses: {e.Message}");
        }
    }
}
