using System.Globalization;
using System.Net;
using System.Text;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// Renders BIRD 2's configuration for this node from the datastore (Calico's confd templates, as code). Pure: the
/// same input always gives the same text, so the agent reloads BIRD only when something really changed.
/// </summary>
/// <remarks>
/// What the text says, per address family this node has pod subnets and an underlay address of:
/// <list type="bullet">
/// <item>router id = the underlay IPv4 address; every session from the underlay address (<c>local</c>).</item>
/// <item>a static protocol <c>pods4</c> with the node's own pod subnet: the only route it announces.</item>
/// <item>filters rendered from the leases: from nodes, a pod subnet leased to a BGP node with that node as next
/// hop; from external peers, a pod subnet leased to another BGP node; anything else is refused.</item>
/// <item>one kernel protocol that imports nothing and exports only routes learned from peers whose next hop
/// resolved (with --bgp-crosssubnet only those on the node's own subnet: the rest go over the agent's VXLAN).</item>
/// <item>a table <c>underlay4</c> (the underlay's connected subnets and the kernel's gateway routes on it) through
/// which next hops resolve: a peer behind a router is reached via the router.</item>
/// </list>
/// </remarks>
internal static partial class BirdConfig
{
    /// <summary>BIRD rotates its log at this size (one old file kept).</summary>
    public const long LogLimitBytes = 4 << 20;

    /// <summary>After a restart with -R, kernel routes wait at most this long for peers that do not come back.</summary>
    public const int GracefulRestartWaitSeconds = 10;

    /// <summary>Kernel table scan period: a deleted pod route is back within it (the agent's own self-heal period).</summary>
    public const int KernelScanSeconds = 2;

    public static string Render(BirdConfigInput input)
    {
        BgpOptions options = input.Options;
        IPAddress routerId = input.Underlay.IPv4
            ?? throw new InvalidOperationException($"--backend bgp needs an IPv4 address on the underlay {input.Underlay.Name} (BIRD's router id)");
        string iface = Quote(input.Underlay.Name);
        Family[] families = Family.All.Where(f => input.Self.Subnets.Any(f.Holds) && f.LocalAddress(input.Underlay) is not null).ToArray();
        IReadOnlyList<NodeLease> bgpPeers = input.BgpPeers;
        IReadOnlyList<BgpSession> sessions = BgpSessionPlan.Compute(options, input.Underlay, input.Self.Subnets, bgpPeers);

        var w = new Writer();
        w.Line($"# BIRD configuration of node {input.Self.Node}, rendered by cnisharp-agent from the datastore.");
        w.Line("# Rewritten (after 'bird -p') and reloaded on every change: edits here are lost.");
        w.Line($"log {Quote(input.LogFile)} {LogLimitBytes} {Quote(input.LogFile + ".1")} {{ info, remote, warning, error, auth, fatal, bug }};");
        w.Line("timeformat protocol \"%FT%T\";");
        w.Line($"router id {routerId};");
        w.Line($"graceful restart wait {GracefulRestartWaitSeconds};");
        w.Line();

        w.Line("# Next hops resolve through the underlay: its own subnets and the kernel's gateway routes on it.");
        foreach (Family f in families) w.Line($"{f.Name} table underlay{f.Suffix};");
        w.Line("protocol device { scan time 10; }");
        w.Line($"protocol direct underlay {{ {string.Concat(families.Select(f => $"{f.Name} {{ table underlay{f.Suffix}; }}; "))}interface {iface}; }}");
        foreach (Family f in families)
        {
            List<UnderlayRoute> routes = input.UnderlayRoutes.Where(r => f.Holds(r.Dst)).ToList();
            if (routes.Count == 0) continue;
            w.Open($"protocol static underlay_routes{f.Suffix}");
            w.Line($"{f.Name} {{ table underlay{f.Suffix}; }};");
            foreach (UnderlayRoute r in routes) w.Line($"route {r.Dst.Network} via {Gateway(r.Gateway, input.Underlay.Name)};");
            w.Close();
        }
        w.Line();

        foreach (Family f in families)
        {
            w.Line($"# This node's pod subnets: announced to peers, never installed here (the pods' own routes are).");
            w.Open($"protocol static pods{f.Suffix}");
            w.Line($"{f.Name};");
            foreach (IPPrefix subnet in input.Self.Subnets.Where(f.Holds)) w.Line($"route {subnet.Network} unreachable;");
            w.Close();
            w.Line();
            RenderFilters(w, f, input, bgpPeers, BgpSessionPlan.IsReflector(options, input.Underlay, f.IsIPv4));
            w.Open($"protocol kernel kernel{f.Suffix}");
            w.Line($"{f.Name} {{ import none; export filter kernel_out{f.Suffix}; }};");
            w.Line($"scan time {KernelScanSeconds};");
            w.Line("graceful restart;   # after 'bird -R', keep the kernel's routes until peers have sent theirs again");
            w.Close();
            w.Line();
        }

        BgpTimers timers = options.Timers;
        if (timers.BfdInterval is { } bfd)
        {
            string knobs = $"min rx interval {Milliseconds(bfd)} ms; min tx interval {Milliseconds(bfd)} ms; multiplier {timers.BfdMultiplier};";
            w.Open("protocol bfd");
            w.Line($"interface {iface} {{ {knobs} }};");
            w.Line($"multihop {{ {knobs} }};");
            w.Close();
            w.Line();
        }

        foreach (Family f in families)
        {
            IPAddress local = f.LocalAddress(input.Underlay)!;
            foreach (string kind in new[] { "cluster", "external" })
            {
                bool used = sessions.Any(s => s.IsIPv4 == f.IsIPv4 && (s.Type == BgpPeerType.External) == (kind == "external"));
                if (!used) continue;
                w.Open($"template bgp {kind}{f.Suffix}");
                w.Line($"local {local} as {options.As};");
                RenderTimers(w, timers);
                w.Line($"{f.Name} {{ import filter {kind}_in{f.Suffix}; export filter {kind}_out{f.Suffix}; gateway recursive; igp table underlay{f.Suffix}; }};");
                w.Close();
            }
        }
        w.Line();

        string clusterId = ReflectorClusterId(options, routerId);
        foreach (BgpSession s in sessions)
        {
            Family f = s.IsIPv4 ? Family.V4 : Family.V6;
            string template = (s.Type == BgpPeerType.External ? "external" : "cluster") + f.Suffix;
            var extra = new StringBuilder();
            if (s.Type == BgpPeerType.ReflectorClient) extra.Append($" rr client; rr cluster id {clusterId};");
            if (s.Multihop) extra.Append(" multihop;");
            w.Line($"protocol bgp {s.Name} from {template} {{ neighbor {s.Peer} as {s.PeerAs};{extra} }}");
        }
        return w.ToString();
    }

    private static void RenderTimers(Writer w, BgpTimers t)
    {
        w.Line($"connect delay time {Seconds(t.ConnectDelay)};");
        w.Line($"connect retry time {Seconds(t.ConnectRetry)};");
        w.Line($"hold time {Seconds(t.Hold)};");
        if (t.Hold > TimeSpan.Zero)
        {
            w.Line($"startup hold time {Seconds(t.Hold)};");
            w.Line($"keepalive time {Seconds(t.Keepalive)};");
        }
        w.Line(t.GracefulRestart > TimeSpan.Zero
            ? $"graceful restart on; graceful restart time {Seconds(t.GracefulRestart)};"
            : "graceful restart off;");
        if (t.BfdInterval is not null) w.Line("bfd on;");
    }

    /// <summary>All reflector nodes must share one cluster id (loop prevention): the lowest IPv4 reflector address.</summary>
    private static string ReflectorClusterId(BgpOptions options, IPAddress routerId) =>
        options.RouteReflectors.Where(r => r.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            .OrderBy(r => r, Comparer<IPAddress>.Create(IPAddressMath.Compare))
            .FirstOrDefault()?.ToString() ?? routerId.ToString();

    private static string Gateway(IPAddress gateway, string iface) =>
        gateway.IsIPv6LinkLocal ? $"{new IPAddress(gateway.GetAddressBytes())}%{iface}" : gateway.ToString();

    private static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private static string Milliseconds(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>A BIRD string literal. Interface names and paths with quotes or backslashes are refused rather than escaped.</summary>
    private static string Quote(string text) =>
        text.Contains('"') || text.Contains('\\') || text.Contains('\n')
            ? throw new InvalidOperationException($"cannot put {text} in BIRD's configuration (quote, backslash or newline)")
            : $"\"{text}\"";

    /// <summary>Text with BIRD-style indentation: <see cref="Open"/> a block, <see cref="Close"/> it.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _text = new();
        private int _depth;

        public void Line(string line = "")
        {
            if (line.Length > 0) _text.Append(' ', 4 * _depth).Append(line);
            _text.Append('\n');
        }

        public void Open(string header)
        {
            Line(header + " {");
            _depth++;
        }

        public void Close()
        {
            _depth--;
            Line("}");
        }

        public override string ToString() => _text.ToString();
    }
}
