using System.Text;
using CniSharp.Cni;
using CniSharp.Logging;

namespace CniSharp;

// Operator mode: the binary run by hand with arguments. Runtimes never pass arguments (libcni execs the plugin
// path alone), so anything here is for people: --help, --version, and "gc" for runtimes that never send GC.
internal sealed partial class CniHost
{
    /// <summary>The assembly version, e.g. "0.1.0".</summary>
    public static string ProductVersion { get; } = typeof(CniHost).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>What skel prints to stderr when CNI_COMMAND is unset.</summary>
    public static string AboutLine =>
        $"CniSharp {ProductVersion} CNI plugin; CNI protocol versions supported: {string.Join(", ", CniVersions.Supported)}";

    private int RunCommandLine(string[] args)
    {
        switch (args[0])
        {
            case "-h" or "--help" or "help":
                WriteStdout(Encoding.UTF8.GetBytes(Usage()));
                return 0;
            case "gc":
                using (var stdout = new StreamWriter(_stdout, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true })
                    return new Operator.GcCommand(_registry, _getenv, stdout, _stderr).Run(args.AsSpan(1));
            case "--list-plugins":
                // One type a line: build.sh, the Dockerfile and the demo make their entry-point symlinks from it.
                WriteStdout(Encoding.UTF8.GetBytes(string.Concat(_registry.Types.Select(t => t + "\n"))));
                return 0;
            case "--version" or "version":
                WriteStdout(Encoding.UTF8.GetBytes(
                    $"cnisharp {ProductVersion} (CNI spec versions: {string.Join(", ", CniVersions.Supported)})\n"));
                return 0;
            default:
                _stderr.WriteLine($"{EntryName}: unknown argument \"{args[0]}\"; run \"{EntryName} --help\" for usage");
                return 2;
        }
    }

    private string Usage()
    {
        string types = _registry.Plugins.Count == 0
            ? "  (none)"
            : string.Join("\n", _registry.Types.Select(t => $"  {t,-22}{PluginTypes.Find(t)?.Summary}"));
        const string logExample = "\"log\": {\"file\": \"/var/log/cnisharp.log\", \"level\": \"debug\"}";
        return $"""
            cnisharp {ProductVersion}: CniSharp's CNI plugins in one native-AOT executable.

            Container runtimes execute it with the CNI_* environment and the network configuration on stdin;
            the result or an error object is printed on stdout (CNI spec versions {string.Join(", ", CniVersions.Supported)}).

            Plugin types served:
            {types}
              Install symlinks named after a type (e.g. cnisharp-bridge -> cnisharp) in the runtime's bin dir.
              When invoked under a served type's name it serves that type; otherwise the config's "type" decides.

            Environment:
              CNI_COMMAND      ADD, DEL, CHECK, STATUS, GC or VERSION (unset: print a version line to stderr)
              CNI_CONTAINERID  container id (ADD, DEL, CHECK)
              CNI_NETNS        path of the container's network namespace (ADD, CHECK; optional on DEL)
              CNI_IFNAME       interface to create in the container (ADD, DEL, CHECK)
              CNI_ARGS         extra K=V;K2=V2 arguments (optional)
              CNI_PATH         ':'-separated directories searched for delegated IPAM plugins

            Logging (off by default; never on stdout):
              {logExample} in the network configuration, or
              {LogSettings.FileVar}=<path> and {LogSettings.LevelVar}=debug|info|warn|error (default info).

            Options:
              -h, --help       this text
              --version        print the version and the CNI spec versions supported
              --list-plugins   print the plugin types served, one a line (the entry points to install)

            Operator commands:
              gc [--conf-dir DIR] [--dry-run]
                               release attachments no runtime will DEL (earlier boot, netns gone);
                               for runtimes that never send GC (containerd 1.x/2.0). "gc --help" for more.

            """;
    }
}
