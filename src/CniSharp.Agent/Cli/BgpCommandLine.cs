using System.Globalization;
using System.Net;
using CniSharp.Agent.Bgp;
using CniSharp.Agent.Datastore;

namespace CniSharp.Agent.Cli;

/// <summary>The <c>--bgp-*</c> and <c>--bird-*</c> flags of <c>--backend bgp</c>, validated into <see cref="BgpOptions"/>.</summary>
internal static class BgpCommandLine
{
    public static readonly string[] ValueFlags =
    [
        "bgp-as", "bgp-mode", "bgp-route-reflectors", "bgp-peers", "bgp-connect-delay", "bgp-connect-retry", "bgp-hold-time",
        "bgp-keepalive", "bgp-graceful-restart", "bgp-bfd", "bgp-bfd-multiplier", "bird-bin", "birdc-bin",
    ];

    public static readonly string[] SwitchFlags = ["bgp-crosssubnet", "bird-keep-on-exit"];

    /// <summary>The BGP options of <c>--backend bgp</c>; null for another backend, which must then have no BGP flag.</summary>
    public static BgpOptions? Read(IReadOnlyDictionary<string, string> flags, BackendKind backend)
    {
        if (backend != BackendKind.Bgp)
        {
            string? stray = flags.Keys.FirstOrDefault(k => ValueFlags.Contains(k) || SwitchFlags.Contains(k));
            return stray is null ? null : throw new UsageException($"--{stray} needs --backend bgp");
        }
        BgpMode mode = flags.GetValueOrDefault("bgp-mode", "mesh") switch
        {
            "mesh" => BgpMode.Mesh,
            "reflector" => BgpMode.Reflector,
            string other => throw new UsageException($"--bgp-mode: \"{other}\" (mesh, reflector)"),
        };
        IReadOnlyList<IPAddress> reflectors = flags.TryGetValue("bgp-route-reflectors", out string? rrText)
            ? List(rrText).Select(r => Address("bgp-route-reflectors", r)).ToList()
            : [];
        if (mode == BgpMode.Reflector && reflectors.Count == 0)
            throw new UsageException("--bgp-mode reflector needs --bgp-route-reflectors IP[,IP]");
        if (mode == BgpMode.Mesh && reflectors.Count > 0)
            throw new UsageException("--bgp-route-reflectors needs --bgp-mode reflector (a mesh has no reflectors)");

        TimeSpan hold = Seconds(flags, "bgp-hold-time", BgpTimers.Tuned.Hold, allowZero: true);
        if (hold > TimeSpan.Zero && hold < TimeSpan.FromSeconds(3))
            throw new UsageException("--bgp-hold-time: 0 (no keepalives) or at least 3s (BGP's minimum)");
        TimeSpan keepalive = Seconds(flags, "bgp-keepalive", TimeSpan.FromSeconds(Math.Max(1, (int)hold.TotalSeconds / 3)), allowZero: false);
        if (hold > TimeSpan.Zero && keepalive >= hold)
            throw new UsageException($"--bgp-keepalive must be shorter than the hold time ({hold.TotalSeconds:0}s)");
        var timers = new BgpTimers(
            ConnectDelay: Seconds(flags, "bgp-connect-delay", BgpTimers.Tuned.ConnectDelay, allowZero: true),
            ConnectRetry: Seconds(flags, "bgp-connect-retry", BgpTimers.Tuned.ConnectRetry, allowZero: false),
            Hold: hold,
            Keepalive: keepalive,
            GracefulRestart: flags.GetValueOrDefault("bgp-graceful-restart") == "off"
                ? TimeSpan.Zero
                : Seconds(flags, "bgp-graceful-restart", BgpTimers.Tuned.GracefulRestart, allowZero: true),
            BfdInterval: Bfd(flags),
            BfdMultiplier: flags.TryGetValue("bgp-bfd-multiplier", out string? m)
                ? int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out int multiplier) && multiplier is >= 1 and <= 255
                    ? multiplier
                    : throw new UsageException($"--bgp-bfd-multiplier: 1 to 255, got \"{m}\"")
                : BgpTimers.Tuned.BfdMultiplier);

        return new BgpOptions
        {
            As = flags.TryGetValue("bgp-as", out string? asText) ? As("bgp-as", asText) : BgpOptions.DefaultAs,
            Mode = mode,
            RouteReflectors = reflectors,
            ExternalPeers = flags.TryGetValue("bgp-peers", out string? peers) ? List(peers).Select(ExternalPeerOf).ToList() : [],
            CrossSubnet = flags.ContainsKey("bgp-crosssubnet"),
            Timers = timers,
            BirdBin = flags.GetValueOrDefault("bird-bin", "bird"),
            BirdcBin = flags.GetValueOrDefault("birdc-bin", "birdc"),
            KeepBirdOnExit = flags.ContainsKey("bird-keep-on-exit"),
        };
    }

    private static IEnumerable<string> List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"IP:AS", IPv6 as "[IP]:AS".</summary>
    private static ExternalPeer ExternalPeerOf(string text)
    {
        int colon = text.LastIndexOf(':');
        string address = colon > 0 ? text[..colon] : "";
        if (address.StartsWith('[') && address.EndsWith(']')) address = address[1..^1];
        else if (address.Contains(':')) throw new UsageException($"--bgp-peers: write an IPv6 peer as [IP]:AS, got \"{text}\"");
        if (colon <= 0) throw new UsageException($"--bgp-peers: expected IP:AS, got \"{text}\"");
        return new ExternalPeer(Address("bgp-peers", address), As("bgp-peers", text[(colon + 1)..]));
    }

    private static IPAddress Address(string flag, string text) =>
        // IPAddress.TryParse also takes inet_aton shorthands ("1.2.3"): an operator's typo, not an address.
        IPAddress.TryParse(text, out IPAddress? address) && (text.Contains(':') || text.Count(c => c == '.') == 3)
            ? address
            : throw new UsageException($"--{flag}: not an IP address: \"{text}\"");

    private static uint As(string flag, string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint value) && value > 0
            ? value
            : throw new UsageException($"--{flag}: an AS number is 1 to 4294967295, got \"{text}\"");

    /// <summary>A whole number of seconds ("2s", "90", "1m"): BIRD's BGP timers have no finer grain.</summary>
    private static TimeSpan Seconds(IReadOnlyDictionary<string, string> flags, string flag, TimeSpan fallback, bool allowZero)
    {
        if (!flags.TryGetValue(flag, out string? text)) return fallback;
        if (!Duration.TryParse(text, out TimeSpan value) || value.Ticks % TimeSpan.TicksPerSecond != 0 || value < TimeSpan.Zero ||
            (!allowZero && value == TimeSpan.Zero) || value > TimeSpan.FromSeconds(65535))
            throw new UsageException($"--{flag}: expected whole seconds{(allowZero ? "" : " above 0")} (e.g. 3s), got \"{text}\"");
        return value;
    }

    private static TimeSpan? Bfd(IReadOnlyDictionary<string, string> flags)
    {
        if (!flags.TryGetValue("bgp-bfd", out string? text) || text == "off") return null;
        return Duration.TryParse(text, out TimeSpan interval) && interval >= TimeSpan.FromMilliseconds(10) && interval <= TimeSpan.FromSeconds(60)
            ? interval
            : throw new UsageException($"--bgp-bfd: off, or the BFD interval between 10ms and 60s (e.g. 300ms), got \"{text}\"");
    }
}
