using System.Net;

namespace CniSharp.Agent.Bgp;

/// <summary>One BGP session as BIRD last reported it.</summary>
/// <param name="State">BIRD's protocol state: up, start, down, ...</param>
/// <param name="Info">The BGP state (Established, Active, Connect, ...), with BIRD's last error when it has one.</param>
internal sealed record BgpSessionStatus(string Name, BgpPeerType Type, IPAddress Peer, string State, string Since, string Info)
{
    public bool Established => State == "up" && Info.StartsWith("Established", StringComparison.Ordinal);

    /// <summary>The BGP state alone (first word of <see cref="Info"/>), "Idle" when BIRD gives none.</summary>
    public string BgpState => Info.Split(' ', 2)[0] is { Length: > 0 } s ? s : "Idle";

    /// <summary>The sessions among BIRD's protocols: those named by <see cref="BgpSessionName"/>.</summary>
    public static IReadOnlyList<BgpSessionStatus> From(IEnumerable<BirdProtocol> protocols) =>
        protocols
            .Where(p => p.IsBgp)
            .Select(p => BgpSessionName.TryParse(p.Name, out BgpPeerType type, out IPAddress? peer)
                ? new BgpSessionStatus(p.Name, type, peer, p.State, p.Since, p.Info)
                : null)
            .OfType<BgpSessionStatus>()
            .ToList();
}

/// <summary>The BGP part of /healthz: is BIRD running, and the state of each session.</summary>
internal sealed record BgpStatus
{
    public required uint As { get; init; }
    public required BgpMode Mode { get; init; }
    public IPAddress? RouterId { get; init; }
    public bool BirdRunning { get; init; }
    public int? BirdPid { get; init; }
    public IReadOnlyList<BgpSessionStatus> Sessions { get; init; } = [];
    /// <summary>The last thing that went wrong (a rejected configuration, a failed reload or start); null when all is well.</summary>
    public string? LastError { get; init; }
}
