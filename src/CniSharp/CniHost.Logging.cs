using System.Diagnostics;
using System.Runtime.CompilerServices;
using CniSharp.Cni;
using CniSharp.Logging;
using CniSharp.Plugins;

namespace CniSharp;

// Per-invocation logging. Off unless configured; when off, no sink exists and Serilog is never touched.
internal sealed partial class CniHost
{
    /// <summary>Attaches a sink for <paramref name="settings"/>, replacing <paramref name="current"/> when they differ.</summary>
    private ILogSink? AttachLog(ILogSink? current, LogSettings? settings)
    {
        if (settings is null) return current;
        if (current is FileSinkHandle { Settings: var active } && active == settings) return current;
        try
        {
            var sink = new FileSinkHandle(settings, OpenFileSink(settings));
            DetachLog(current);
            Log.Attach(sink, settings.Level);
            return sink;
        }
        catch (Exception ex)
        {
            // A broken log path must not fail the network operation; say so where runtimes collect plugin stderr.
            _stderr.WriteLine($"cnisharp: cannot open log file \"{settings.File}\": {ex.Message}");
            return current;
        }
    }

    private static void DetachLog(ILogSink? sink)
    {
        if (sink is null) return;
        Log.Detach();
        (sink as IDisposable)?.Dispose();
    }

    // Kept out of line so the only reference to the Serilog-backed type sits behind the "logging is on" branch.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ILogSink OpenFileSink(LogSettings settings) => SerilogFileSink.Open(settings.File, settings.Level);

    private void LogStart(IPlugin plugin, DecodedConfig config)
    {
        if (!Log.IsEnabled(LogLevel.Debug)) return;
        Log.Debug($"{Describe()} type={plugin.Type} network={config.Conf.Name} cniVersion={config.Version} entry={EntryName}: start");
    }

    private void LogSuccess(string verb, long started)
    {
        if (!Log.IsEnabled(LogLevel.Information)) return;
        Log.Info($"{Describe(verb)}: ok in {Elapsed(started)}");
    }

    private void LogFailure(string verb, long started, CniException error, Exception original)
    {
        if (!Log.IsEnabled(LogLevel.Error)) return;
        string details = string.IsNullOrEmpty(error.Details) ? "" : $" ({error.Details})";
        Log.Error($"{Describe(verb)}: failed in {Elapsed(started)}: code {(int)error.Code}: {error.Message}{details}");
        if (original is not CniException) Log.Debug(original.ToString());
    }

    private string Describe(string? verb = null) =>
        $"{verb ?? _getenv(CniEnvironment.CommandVar)} container={_getenv(CniEnvironment.ContainerIdVar)} " +
        $"ifname={_getenv(CniEnvironment.IfNameVar)} netns={_getenv(CniEnvironment.NetNsVar)}";

    private static string Elapsed(long started) =>
        $"{Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} ms";

    /// <summary>Remembers which settings a sink was opened with, so the config's section can replace the environment's.</summary>
    private sealed class FileSinkHandle(LogSettings settings, ILogSink inner) : ILogSink, IDisposable
    {
        public LogSettings Settings { get; } = settings;

        public void Write(LogLevel level, string message) => inner.Write(level, message);

        public void Dispose() => (inner as IDisposable)?.Dispose();
    }
}
