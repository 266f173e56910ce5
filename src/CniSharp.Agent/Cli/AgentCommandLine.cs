using System.Net;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;

namespace CniSharp.Agent.Cli;

/// <summary>
/// Parses cnisharp-agent's command line (<c>--flag value</c> or <c>--flag=value</c>) into an
/// <see cref="AgentCommand"/>. Every mistake is a <see cref="UsageException"/> naming the flag.
/// </summary>
internal static class AgentCommandLine
{
    /// <summary>Decides whether an ipip backend could exist here (the kernel's ipip support).</summary>
    public static Func<bool> KernelHasIpip { get; set; } = IpipSupport.KernelHasIpip;

    public static AgentCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Count > 0 && args[0] == "status") return StatusCommandLine.Parse(args.Skip(1).ToList());
        bool leave = args.Count > 0 && args[0] == "leave";
        var flags = ReadFlags(leave ? args.Skip(1).ToList() : args);
        if (flags.ContainsKey("help")) return new AgentCommand.Help();
        if (flags.ContainsKey("version")) return new AgentCommand.Version();

        string nodeName = Required(flags, "node-name");
        DatastoreOptions datastore = ReadDatastore(flags);
        if (leave)
        {
            RejectUnknown(flags, LeaveFlags);
            return new AgentCommand.Leave(nodeName, datastore,
                flags.TryGetValue("state-dir", out string? leaveState) ? Path.GetFullPath(leaveState) : null);
        }
        RejectUnknown(flags, RunFlags);

        IReadOnlyList<IPPrefix> clusterCidrs = flags.TryGetValue("cluster-cidr", out string? cidrs)
            ? cidrs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseCidr).ToList()
            : [];
        if (datastore.Kind == DatastoreKind.Etcd && clusterCidrs.Count == 0)
            throw new UsageException("--datastore etcd needs --cluster-cidr CIDR[,CIDR] (node subnets are leased from it)");
        if (clusterCidrs.Count(c => c.IsIPv4) > 1 || clusterCidrs.Count(c => !c.IsIPv4) > 1)
            throw new UsageException("--cluster-cidr takes at most one IPv4 and one IPv6 CIDR");

        (int v4, int v6) = ReadSubnetSize(flags, clusterCidrs);
        string backendText = Required(flags, "backend");
        if (backendText == "ipip")
        {
            throw new UsageException(KernelHasIpip()
                ? "--backend ipip is not implemented by cnisharp-agent: use vxlan or crosssubnet"
                : "--backend ipip: this kernel has no ipip support (no ipip module loaded, built in or installed); use vxlan or crosssubnet");
        }
        if (!BackendKindNames.TryParse(backendText, out BackendKind backend))
            throw new UsageException($"--backend: unknown backend \"{backendText}\" (host-gw, vxlan, crosssubnet, bgp)");

        string? iface = flags.GetValueOrDefault("iface");
        IPAddress? publicIp = null;
        // IPAddress.TryParse also takes inet_aton shorthands ("1.2.3"): an operator's typo, not an address.
        if (flags.TryGetValue("public-ip", out string? ipText) &&
            (!IPAddress.TryParse(ipText, out publicIp) || (!ipText.Contains(':') && ipText.Count(c => c == '.') != 3)))
            throw new UsageException($"--public-ip: not an IP address: \"{ipText}\"");
        if (iface is not null && publicIp is not null)
            throw new UsageException("--iface and --public-ip are alternatives: give one");

        ConflistPlugin plugin = flags.GetValueOrDefault("plugin", "ptp") switch
        {
            "ptp" => ConflistPlugin.Ptp,
            "bridge" => ConflistPlugin.Bridge,
            string other => throw new UsageException($"--plugin: unknown plugin \"{other}\" (bridge, ptp)"),
        };

        string? health = flags.GetValueOrDefault("health-addr");
        if (health is not null && !HealthAddress.TryParse(health, out _, out _))
            throw new UsageException($"--health-addr: expected HOST:PORT, got \"{health}\"");

        return new AgentCommand.Run(new AgentOptions
        {
            NodeName = nodeName,
            Datastore = datastore,
            ClusterCidrs = clusterCidrs,
            SubnetSizeV4 = v4,
            SubnetSizeV6 = v6,
            Backend = backend,
            Bgp = BgpCommandLine.Read(flags, backend),
            Interface = iface,
            PublicIP = publicIp,
            Plugin = plugin,
            CniConfDir = Path.GetFullPath(flags.GetValueOrDefault("cni-conf-dir", "/etc/cni/net.d")),
            DataDir = Path.GetFullPath(flags.GetValueOrDefault("data-dir", "/var/lib/cni")),
            StateDir = Path.GetFullPath(flags.GetValueOrDefault("state-dir", "/run/cnisharp-agent")),
            HealthAddress = health,
            LogJson = flags.GetValueOrDefault("log-format", "text") switch
            {
                "text" => false,
                "json" => true,
                string other => throw new UsageException($"--log-format: \"{other}\" (text, json)"),
            },
            Verbose = flags.ContainsKey("verbose"),
        });
    }

    private static readonly string[] DatastoreFlags = ["node-name", "datastore", "etcd-endpoints", "etcd-prefix", "lease-ttl", "kubeconfig", "log-format", "verbose"];
    private static readonly string[] LeaveFlags = [.. DatastoreFlags, "state-dir"];
    private static readonly string[] RunFlags =
    [
        .. DatastoreFlags, "cluster-cidr", "subnet-size", "backend", "iface", "public-ip", "plugin",
        "cni-conf-dir", "data-dir", "state-dir", "health-addr", .. BgpCommandLine.ValueFlags, .. BgpCommandLine.SwitchFlags,
    ];
    private static readonly HashSet<string> SwitchFlags = ["help", "version", "verbose", .. BgpCommandLine.SwitchFlags];

    internal static Dictionary<string, string> ReadFlags(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h") arg = "--help";
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"unexpected argument \"{arg}\" (see --help)");
            string name = arg[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            if (SwitchFlags.Contains(name))
            {
                if (value is not null) throw new UsageException($"--{name} takes no value");
                flags[name] = "";
                continue;
            }
            if (value is null)
            {
                if (i + 1 >= args.Count) throw new UsageException($"--{name} needs a value");
                value = args[++i];
            }
            if (!flags.TryAdd(name, value)) throw new UsageException($"--{name} given twice");
        }
        return flags;
    }

    internal static void RejectUnknown(Dictionary<string, string> flags, string[] known)
    {
        foreach (string name in flags.Keys)
        {
            if (!known.Contains(name)) throw new UsageException($"unknown flag --{name} (see --help)");
        }
    }

    private static string Required(Dictionary<string, string> flags, string name) =>
        flags.TryGetValue(name, out string? value) && value.Length > 0 ? value : throw new UsageException($"--{name} is required");

    private static DatastoreOptions ReadDatastore(Dictionary<string, string> flags)
    {
        string kind = Required(flags, "datastore");
        switch (kind)
        {
            case "etcd":
                string endpoints = Required(flags, "etcd-endpoints");
                var urls = endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (string url in urls)
                {
                    if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
                        throw new UsageException($"--etcd-endpoints: \"{url}\" is not an http(s):// URL");
                }
                string prefix = flags.GetValueOrDefault("etcd-prefix", "/cnisharp/network").TrimEnd('/');
                if (!prefix.StartsWith('/')) throw new UsageException($"--etcd-prefix must start with '/': \"{prefix}\"");
                TimeSpan ttl = TimeSpan.FromSeconds(60);
                if (flags.TryGetValue("lease-ttl", out string? ttlText) && (!Duration.TryParse(ttlText, out ttl) || ttl < TimeSpan.FromSeconds(5)))
                    throw new UsageException($"--lease-ttl: expected a duration of at least 5s (e.g. 60s), got \"{ttlText}\"");
                return new DatastoreOptions { Kind = DatastoreKind.Etcd, EtcdEndpoints = urls, EtcdPrefix = prefix, LeaseTtl = ttl };
            case "kubernetes":
                return new DatastoreOptions { Kind = DatastoreKind.Kubernetes, Kubeconfig = flags.GetValueOrDefault("kubeconfig") };
            default:
                throw new UsageException($"--datastore: unknown datastore \"{kind}\" (kubernetes, etcd)");
        }
    }

    private static IPPrefix ParseCidr(string text)
    {
        if (!IPPrefix.TryParse(text, out IPPrefix prefix)) throw new UsageException($"--cluster-cidr: not a CIDR: \"{text}\"");
        if (!prefix.Network.Equals(prefix)) throw new UsageException($"--cluster-cidr: \"{text}\" has host bits set (did you mean {prefix.Network}?)");
        return prefix;
    }

    private static (int V4, int V6) ReadSubnetSize(Dictionary<string, string> flags, IReadOnlyList<IPPrefix> clusterCidrs)
    {
        int v4 = 24, v6 = 64;
        if (flags.TryGetValue("subnet-size", out string? text))
        {
            // One number applies to the IPv4 CIDR; "N,M" gives IPv4 then IPv6.
            string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length > 2 || !int.TryParse(parts[0], out v4) || (parts.Length == 2 && !int.TryParse(parts[1], out v6)))
                throw new UsageException($"--subnet-size: expected N or N,M (IPv4, IPv6 prefix lengths), got \"{text}\"");
        }
        foreach (IPPrefix cidr in clusterCidrs)
        {
            int size = cidr.IsIPv4 ? v4 : v6;
            if (size < cidr.PrefixLength || size > cidr.MaxPrefixLength - 2)
                throw new UsageException($"--subnet-size: /{size} does not fit in cluster CIDR {cidr} (between /{cidr.PrefixLength} and /{cidr.MaxPrefixLength - 2})");
        }
        return (v4, v6);
    }
}
