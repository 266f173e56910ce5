using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// The BIRD protocol name of a session: its type and peer address, with the address's '.' or ':' turned into '_'
/// (BIRD symbols are letters, digits and '_'): <c>mesh_198_51_100_12</c>, <c>rr_2001_db8_100__1</c>,
/// <c>rrclient_…</c>, <c>peer_…</c>. The name alone says who the peer is, so <c>cnisharp-agent status</c> needs
/// nothing but BIRD's own <c>show protocols</c> (Calico names its sessions the same way, <c>Mesh_172_17_8_102</c>).
/// </summary>
internal static class BgpSessionName
{
    private static readonly (BgpPeerType Type, string Prefix)[] Prefixes =
    [
        (BgpPeerType.Mesh, "mesh_"),
        (BgpPeerType.ReflectorClient, "rrclient_"),
        (BgpPeerType.RouteReflector, "rr_"),
        (BgpPeerType.External, "peer_"),
    ];

    public static string For(BgpPeerType type, IPAddress peer)
    {
        string prefix = Prefixes.First(p => p.Type == type).Prefix;
        return prefix + peer.ToString().Replace('.', '_').Replace(':', '_');
    }

    public static bool TryParse(string name, out BgpPeerType type, [NotNullWhen(true)] out IPAddress? peer)
    {
        type = default;
        peer = null;
        foreach ((BgpPeerType t, string prefix) in Prefixes)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string rest = name[prefix.Length..];
            // Four decimal groups are IPv4; anything else is IPv6 (which never has exactly four groups and no "::").
            string[] groups = rest.Split('_');
            string text = groups.Length == 4 && groups.All(g => g.Length is > 0 and <= 3 && g.All(char.IsAsciiDigit))
                ? rest.Replace('_', '.')
                : rest.Replace('_', ':');
            if (!IPAddress.TryParse(text, out IPAddress? address)) return false;
            type = t;
            peer = address;
            return true;
        }
        return false;
    }
}
