using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace CniSharp.Logging;

/// <summary>
/// The file sink behind <see cref="Log"/>. The only type that touches Serilog: nothing on the default (no-log)
/// path references it, so Serilog's start-up cost is paid only when logging is on.
/// </summary>
internal sealed class SerilogFileSink : ILogSink, IDisposable
{
    // One line per event; the pid tells apart the concurrent invocations a runtime makes for different containers.
    private const string Template = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] [{Pid}] {Message:l}{NewLine}";

    private readonly Logger _logger;

    private SerilogFileSink(Logger logger) => _logger = logger;

    /// <summary>
    /// shared: true opens the file in append mode and serialises writers with a named mutex, because a runtime
    /// runs one process per attachment concurrently and they all append to the same file.
    /// </summary>
    public static SerilogFileSink Open(string path, LogLevel minimum)
    {
        ProbeWritable(path);
        Logger logger = new LoggerConfiguration()
            .MinimumLevel.Is(Map(minimum))
            .Enrich.WithProperty("Pid", Environment.ProcessId)
            .WriteTo.File(path, outputTemplate: Template, shared: true, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        return new SerilogFileSink(logger);
    }

    /// <summary>
    /// Serilog's file sink reports an unopenable path only to its SelfLog and then drops every event, so open the
    /// file once ourselves to turn that into an exception the host can report.
    /// </summary>
    private static void ProbeWritable(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var probe = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
    }

    public void Write(LogLevel level, string message) => _logger.Write(Map(level), "{Message:l}", message);

    public void Dispose() => _logger.Dispose();

    private static LogEventLevel Map(LogLevel level) => level switch
    {
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };
}
