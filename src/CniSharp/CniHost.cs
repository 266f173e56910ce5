using System.Diagnostics;
using CniSharp.Cni;
using CniSharp.Logging;
using CniSharp.Plugins;

namespace CniSharp;

/// <summary>
/// The dispatcher (skel's equivalent): CNI_* environment and stdin in, one verb of one plugin, the result or the
/// error JSON out. It is the only code that writes stdout or decides the exit code, and the one error boundary:
/// a <see cref="CniException"/> keeps its code, anything else becomes 999 (libcni's ErrInternal).
/// </summary>
internal sealed partial class CniHost
{
    /// <summary>Configs are a few KiB; a cap keeps a runaway writer from making us buffer without bound.</summary>
    public const int MaxStdinBytes = 4 * 1024 * 1024;

    private readonly Func<string, string?> _getenv;
    private readonly Stream _stdin;
    private readonly Stream _stdout;
    private readonly TextWriter _stderr;
    private readonly string _argv0;
    private readonly PluginRegistry _registry;
    private readonly string[] _args;

    public CniHost(Func<string, string?> getenv, Stream stdin, Stream stdout, TextWriter stderr, string argv0, PluginRegistry registry)
        : this(getenv, stdin, stdout, stderr, argv0, registry, [])
    {
    }

    private CniHost(Func<string, string?> getenv, Stream stdin, Stream stdout, TextWriter stderr, string argv0,
        PluginRegistry registry, string[] args)
    {
        _getenv = getenv;
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
        _argv0 = argv0;
        _registry = registry;
        _args = args;
    }

    /// <summary>The name this binary was invoked as (cnisharp-bridge for a symlink of that name).</summary>
    public string EntryName => Path.GetFileName(_argv0);

    /// <summary>Runs with the command-line arguments given to <see cref="FromProcess"/>.</summary>
    public int Run() => Run(_args);

    /// <summary>Runs one invocation and returns the exit code; never throws.</summary>
    public int Run(string[] args)
    {
        try
        {
            // Runtimes exec plugins without arguments; arguments mean an operator at a shell.
            if (args.Length > 0) return RunCommandLine(args);
            string? verb = _getenv(CniEnvironment.CommandVar);
            if (string.IsNullOrEmpty(verb))
            {
                // As skel: no CNI_COMMAND prints what this is to stderr and succeeds.
                _stderr.WriteLine(AboutLine);
                return 0;
            }
            return RunCni(verb);
        }
        catch (Exception)
        {
            // N.B. only reachable if writing to stdout/stderr itself failed (e.g. EPIPE): there is nobody left to tell.
            return 1;
        }
    }

    private int RunCni(string verb)
    {
        long started = Stopwatch.GetTimestamp();
        string errorVersion = CniVersions.Latest;
        ILogSink? sink = AttachLog(null, LogSettings.FromEnvironment(_getenv));
        try
        {
            CniCommand command = CniEnvironment.ParseCommand(verb);
            if (command == CniCommand.Version)
            {
                // VERSION ignores stdin entirely, as skel does: runtimes may send anything or nothing.
                WriteStdout(VersionInfoWriter.Write());
                return 0;
            }
            byte[] stdin = ReadStdin();
            CniArgs cniArgs = CniEnvironment.Read(_getenv, stdin);
            DecodedConfig config = NetConfDecoder.Decode(command, stdin);
            errorVersion = config.Version;
            sink = AttachLog(sink, LogSettings.FromConfig(config.Conf.Log, _getenv));

            IPlugin plugin = _registry.Select(EntryName, config.Conf.Type!);
            LogStart(plugin, config);
            byte[]? output = Invoke(plugin, new PluginRequest(cniArgs, config.Config, config.Conf), config.Version);
            if (output is not null) WriteStdout(output);
            LogSuccess(verb, started);
            return 0;
        }
        catch (Exception ex)
        {
            CniException error = ToCniError(ex);
            LogFailure(verb, started, error, ex);
            WriteStdout(ErrorWriter.Write(errorVersion, error));
            return 1;
        }
        finally
        {
            DetachLog(sink);
        }
    }

    /// <summary>ADD prints its result in the config's version; the other verbs print nothing on success.</summary>
    private static byte[]? Invoke(IPlugin plugin, PluginRequest request, string version)
    {
        switch (request.Args.Command)
        {
            case CniCommand.Add:
                CniResult result = plugin.Add(request);
                // Shaped before anything is written, so a conversion error still leaves stdout with one object.
                return ResultWriter.Write(result, version);
            case CniCommand.Del:
                plugin.Del(request);
                return null;
            case CniCommand.Check:
                plugin.Check(request);
                return null;
            case CniCommand.Status:
                plugin.Status(request);
                return null;
            case CniCommand.Gc:
                plugin.Gc(request);
                return null;
            default:
                throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"{request.Args.Command.Name()} is not dispatched to plugins");
        }
    }

    /// <summary>"Don't wrap Error in Error" (skel): a CniException is kept; anything else is 999 with its message.</summary>
    public static CniException ToCniError(Exception ex) =>
        ex as CniException ?? new CniException(CniErrorCode.Internal, ex.Message, ex.InnerException?.Message, ex);

    /// <summary>Reads all of stdin, refusing more than <see cref="MaxStdinBytes"/> without buffering the excess.</summary>
    private byte[] ReadStdin()
    {
        byte[] buffer = new byte[16 * 1024];
        int total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > MaxStdinBytes) break;
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxStdinBytes + 1));
                }
                int read = _stdin.Read(buffer, total, buffer.Length - total);
                if (read == 0) break;
                total += read;
            }
        }
        catch (IOException ex)
        {
            throw new CniException(CniErrorCode.IOFailure, $"failed to read the network configuration from stdin: {ex.Message}", inner: ex);
        }
        if (total > MaxStdinBytes)
            throw new CniException(CniErrorCode.IOFailure,
                $"the network configuration on stdin is larger than {MaxStdinBytes / (1024 * 1024)} MiB; refusing to read it");
        return buffer.AsSpan(0, total).ToArray();
    }

    private void WriteStdout(ReadOnlySpan<byte> json)
    {
        _stdout.Write(json);
        _stdout.Flush();
    }
}
