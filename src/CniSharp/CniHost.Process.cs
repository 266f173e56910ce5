using System.Text;
using CniSharp.Plugins;

namespace CniSharp;

// The composition root: the real process environment and streams.
internal sealed partial class CniHost
{
    public static CniHost FromProcess(string[] args) =>
        new(Environment.GetEnvironmentVariable,
            Console.OpenStandardInput(),
            Console.OpenStandardOutput(),
            new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true },
            ReadArgv0(),
            new PluginRegistry(PluginCatalog.Create()),
            args);

    /// <summary>
    /// argv[0] as exec'd: symlinked entry points (cnisharp-bridge -&gt; cnisharp) dispatch by the link's name.
    /// Measured under native AOT (net9.0, linux-x64): Environment.ProcessPath is /proc/self/exe, the resolved target
    /// ("/opt/cni/bin/cnisharp"), so it cannot be used; GetCommandLineArgs()[0] is argv[0] as passed, but under the
    /// JIT it names the .dll. /proc/self/cmdline is argv[0] as passed in every host, so it is read first.
    /// </summary>
    internal static string ReadArgv0()
    {
        try
        {
            byte[] cmdline = File.ReadAllBytes("/proc/self/cmdline");
            int end = Array.IndexOf(cmdline, (byte)0);
            if (end < 0) end = cmdline.Length;
            if (end > 0) return Encoding.UTF8.GetString(cmdline, 0, end);
        }
        catch (IOException)
        {
            // N.B. no procfs (a minimal chroot); fall back to what the runtime reports.
        }
        catch (UnauthorizedAccessException)
        {
        }
        string[] argv = Environment.GetCommandLineArgs();
        return argv.Length > 0 ? argv[0] : "cnisharp";
    }
}
