using System.Text;

namespace CniSharp.Netfilter;

/// <summary>
/// Whose an nf_tables element is: one attachment (network, container id, ifname). Written into every element
/// CniSharp adds as its comment, "{network}/{containerId}/{ifName}", so DEL removes exactly its own elements
/// (never another pod's that reuses a key, e.g. a recycled IP) and GC finds every element whose attachment is
/// gone — with no file to keep, and nothing left after a reboot. nft list ruleset shows it as comment "...".
/// </summary>
internal readonly record struct ElementOwner(string Network, string ContainerId, string IfName)
{
    /// <summary>
    /// The network as it appears in comments and set names: itself up to 32 characters, else a prefix and a
    /// hash, so a comment stays within nft's 254 bytes (a container id may have 200) and names stay distinct.
    /// </summary>
    public static string NetworkTag(string network)
    {
        const int max = 32;
        if (network.Length <= max) return network;
        // FNV-1a, not SHA-256: .NET's SHA-256 loads OpenSSL, milliseconds on the ADD path, for a name that
        // needs spread, not secrecy.
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(network))
            hash = (hash ^ b) * 16777619;
        return $"{network[..(max - 9)]}~{hash:x8}";
    }

    public string Comment => $"{NetworkTag(Network)}/{ContainerId}/{IfName}";

    /// <summary>Whether <paramref name="comment"/> names an attachment of <paramref name="network"/>; yields its ids.</summary>
    public static bool TryParse(string? comment, string network, out string containerId, out string ifName)
    {
        containerId = ifName = "";
        string tag = NetworkTag(network);
        if (comment is null || comment.Length <= tag.Length + 1 || !comment.StartsWith(tag, StringComparison.Ordinal) || comment[tag.Length] != '/')
            return false;
        int last = comment.LastIndexOf('/');
        if (last <= tag.Length + 1 || last == comment.Length - 1) return false;
        containerId = comment[(tag.Length + 1)..last];
        ifName = comment[(last + 1)..];
        return true;
    }

    public bool Owns(string? comment) => comment == Comment;

    public override string ToString() => $"{ContainerId} ({IfName}) of network \"{Network}\"";
}
