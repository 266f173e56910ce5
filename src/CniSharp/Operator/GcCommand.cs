using CniSharp.Cni;
using CniSharp.Plugins;

namespace CniSharp.Operator;

/// <summary>
/// "cnisharp gc": the GC that containerd 1.x/2.0 never sends. For every network in the conf dir served by a
/// plugin that keeps attachment records, releases the attachments made during an earlier boot or whose netns
/// is gone (and their host veth with it). Networks with disableGC are skipped; --dry-run only lists.
/// </summary>
internal sealed class GcCommand(PluginRegistry registry, Func<string, string?> getenv, TextWriter stdout, TextWriter stderr)
{
    public const string DefaultConfDir = "/etc/cni/net.d";
    public const string DefaultBinDir = "/opt/cni/bin";

    public const string Usage = """
        Usage: cnisharp gc [--conf-dir DIR] [--dry-run]

          Releases CniSharp attachments that no runtime will ever DEL: those made during an earlier boot, and
          those whose network namespace path no longer exists (and whose host veth is gone with it). Their
          addresses, host veths and records are removed. Networks with "disableGC": true are skipped.

          --conf-dir DIR   network configurations to read (default /etc/cni/net.d)
          --dry-run        list what would be released; change nothing
          CNI_PATH         where a delegated IPAM plugin is found (default /opt/cni/bin)

        """;

    public int Run(ReadOnlySpan<string> args)
    {
        string confDir = DefaultConfDir;
        bool dryRun = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--dry-run": dryRun = true; break;
                case "--conf-dir" when i + 1 < args.Length: confDir = args[++i]; break;
                case "-h" or "--help": stdout.Write(Usage); return 0;
                default:
                    stderr.WriteLine($"cnisharp gc: unknown argument \"{args[i]}\"; see \"cnisharp gc --help\"");
                    return 2;
            }
        }
        if (!Directory.Exists(confDir))
        {
            stderr.WriteLine($"cnisharp gc: no such directory: {confDir}");
            return 2;
        }

        var errors = new List<string>();
        int released = 0, networks = 0;
        foreach (string path in NetworkConfigFile.Find(confDir))
        {
            NetworkConfigFile file;
            try
            {
                file = NetworkConfigFile.Load(path);
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                stderr.WriteLine($"cnisharp gc: skipping {path}: {e.Message}");
                continue;
            }
            foreach (var plugin in file.Plugins)
            {
                string? type = NetworkConfigFile.StringOf(plugin, "type");
                if (registry.Find(type) is not IKeepsAttachments keeper) continue;
                if (file.GcDisabled)
                {
                    stdout.WriteLine($"network \"{file.Name}\" ({path}): skipped, \"disableGC\" is set");
                    break;
                }
                networks++;
                released += Collect(file, plugin, keeper, dryRun, errors);
            }
        }
        stdout.WriteLine(dryRun
            ? $"cnisharp gc: dry run: {released} attachment(s) would be released in {networks} network(s)"
            : $"cnisharp gc: released {released} attachment(s) in {networks} network(s)");
        foreach (string error in errors) stderr.WriteLine($"cnisharp gc: {error}");
        return errors.Count == 0 ? 0 : 1;
    }

    private int Collect(NetworkConfigFile file, System.Text.Json.JsonElement plugin, IKeepsAttachments keeper, bool dryRun, List<string> errors)
    {
        byte[] config = file.PluginConfig(plugin);
        try
        {
            // Decoded as a DEL would be: the same checks the runtime's invocations get.
            DecodedConfig decoded = NetConfDecoder.Decode(CniCommand.Del, config);
            var args = new CniArgs
            {
                Command = CniCommand.Del,
                Path = (getenv(CniEnvironment.PathVar) is { Length: > 0 } p ? p : DefaultBinDir).Split(':', StringSplitOptions.RemoveEmptyEntries),
                StdinData = config,
            };
            var swept = keeper.CollectStale(new PluginRequest(args, decoded.Config, decoded.Conf), dryRun, errors,
                warning => stderr.WriteLine($"cnisharp gc: network \"{file.Name}\": {warning}"));
            foreach (var s in swept)
                stdout.WriteLine($"{(dryRun ? "would release" : "released")} {file.Name}/{s.Record.ContainerId}/{s.Record.IfName} " +
                                 $"[{string.Join(", ", s.Record.Ips)}]: {s.Reason}");
            return swept.Count;
        }
        catch (CniException e)
        {
            errors.Add($"network \"{file.Name}\" ({file.Path}): {e.Message}");
            return 0;
        }
    }
}
