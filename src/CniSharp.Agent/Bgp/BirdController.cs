using System.Threading.Channels;
using CniSharp.Agent.Cli;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Agent.Health;
using CniSharp.Agent.Reconcile;
using CniSharp.Ip;
using CniSharp.Netlink.Route;
using Serilog;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// The BGP backend: the agent as BIRD's control plane. On every reconcile pass it renders BIRD's configuration
/// from the datastore (<see cref="BirdConfig"/>), has BIRD check it (<c>bird -p</c>) before it replaces the file,
/// starts BIRD when none runs (or adopts the one a previous agent left), reloads it when the text changed
/// (<c>birdc configure</c>), and reads the sessions' states for /healthz and /metrics. A BIRD that dies is started
/// again at once (backing off while it keeps dying). On exit BIRD stops in graceful-restart mode, so peers keep
/// this node's routes while the next agent starts, or keeps running with --bird-keep-on-exit.
/// </summary>
internal sealed partial class BirdController : IRoutingDaemon
{
    /// <summary>A BIRD that ran shorter than this before it died is restarted with a growing delay.</summary>
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(10);

    private readonly BgpOptions _bgp;
    private readonly AgentOptions _options;
    private readonly Underlay _underlay;
    private readonly AgentStatusHolder _status;
    private readonly AgentMetrics _metrics;
    private readonly BgpMetrics _bgpMetrics;
    private readonly ILogger _log;
    private readonly string _birdBin;
    private readonly Birdc _birdc;
    private readonly RouteNetlink _netlink;
    private readonly Channel<int> _exits = Channel.CreateUnbounded<int>();
    private readonly CancellationTokenSource _stop = new();

    private BirdProcess? _process;
    private bool _adoptionTried;
    private int _starts;
    private DateTime _startedAt;
    /// <summary>Not before this (UTC ticks) is BIRD started again; written by the exit monitor, read by the loop.</summary>
    private long _nextStartTicks;
    private int _quickDeaths;
    /// <summary>The text in bird.conf (checked by bird -p), and the text the running BIRD has loaded.</summary>
    private string? _written;
    private string? _loaded;
    private string? _lastError;
    private volatile bool _stopping;

    private BirdController(BgpOptions bgp, AgentOptions options, Underlay underlay, string birdBin, string birdcBin,
        AgentStatusHolder status, AgentMetrics metrics, ILogger log)
    {
        _bgp = bgp;
        _options = options;
        _underlay = underlay;
        _birdBin = birdBin;
        _status = status;
        _metrics = metrics;
        _bgpMetrics = new BgpMetrics(metrics.Registry);
        _log = log.ForContext("Component", "bird");
        Paths = new BirdPaths(options.StateDir);
        _birdc = new Birdc(birdcBin, Paths.ControlSocket);
        _netlink = RouteNetlink.Open();
    }

    public BirdPaths Paths { get; }

    /// <summary>Finds bird and birdc (failing with what to install), checks the underlay can give a router id.</summary>
    public static BirdController Create(BgpOptions bgp, AgentOptions options, Underlay underlay, AgentStatusHolder status,
        AgentMetrics metrics, ILogger log)
    {
        string bird = ExternalCommand.Resolve(bgp.BirdBin)
            ?? throw new InvalidOperationException($"--backend bgp: BIRD not found ({bgp.BirdBin}); install bird2 or give --bird-bin");
        string birdc = ExternalCommand.Resolve(bgp.BirdcBin)
            ?? throw new InvalidOperationException($"--backend bgp: birdc not found ({bgp.BirdcBin}); install bird2 or give --birdc-bin");
        if (underlay.IPv4 is null)
            throw new InvalidOperationException($"--backend bgp needs an IPv4 address on the underlay {underlay.Name} (BIRD's router id)");
        return new BirdController(bgp, options, underlay, bird, birdc, status, metrics, log);
    }

    public IReadOnlyList<NodeLease> ForDataplane(IReadOnlyList<NodeLease> peers) => AgentRoutedPeers.Select(_bgp, _underlay, peers);

    public void Sync(NodeLease self, IReadOnlyList<NodeLease> peers)
    {
        string? error = null;
        try
        {
            string text = Render(self, peers);
            if (text != _written) error = WriteChecked(text);
            if (_written is not null)
            {
                EnsureRunning();
                error ??= ReloadIfChanged();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = e.Message;
        }
        if (error is not null)
        {
            _metrics.Error("bird");
            if (error != _lastError) _log.Error("{Problem}", error);
        }
        _lastError = error;
        RefreshStatus();
    }

    public async Task WaitForExitAsync(CancellationToken cancellationToken) => await _exits.Reader.ReadAsync(cancellationToken);

    private string Render(NodeLease self, IReadOnlyList<NodeLease> peers)
    {
        List<NodeLease> bgpPeers = peers.Where(p => p.Attributes.Backend == BackendKind.Bgp).ToList();
        IReadOnlyList<IPPrefix> podSpace = [.. _options.ClusterCidrs, .. self.Subnets, .. peers.SelectMany(p => p.Subnets)];
        IReadOnlyList<UnderlayRoute> underlayRoutes = UnderlayRoutes.Read(_netlink, _underlay, podSpace);
        return BirdConfig.Render(new BirdConfigInput(_bgp, _underlay, underlayRoutes, self, bgpPeers, Paths.Log));
    }

    /// <summary>Writes the candidate, has BIRD parse it, and only then renames it over bird.conf. Returns the problem, if any.</summary>
    private string? WriteChecked(string text)
    {
        File.WriteAllText(Paths.CandidateConfig, text);
        CommandResult check = ExternalCommand.Run(_birdBin, ["-p", "-c", Paths.CandidateConfig]);
        if (!check.Succeeded)
            return $"BIRD refused the rendered configuration (kept as {Paths.CandidateConfig}; the previous one stays): {check.Text}";
        File.Move(Paths.CandidateConfig, Paths.Config, overwrite: true);
        _written = text;
        return null;
    }

    private string? ReloadIfChanged()
    {
        if (_process is not { HasExited: false } || _loaded == _written) return null;
        string? why = _birdc.Configure();
        _bgpMetrics.Reloaded(why is null);
        if (why is not null) return $"birdc configure failed: {why}";
        _loaded = _written;
        _log.Information("BIRD reloaded its configuration");
        return null;
    }
}
