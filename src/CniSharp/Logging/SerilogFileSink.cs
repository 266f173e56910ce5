using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

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

    /// <summary>Opens (creating it and its directory if needed) the log file; throws when that is impossible.</summary>
    public static SerilogFileSink Open(string path, LogLevel minimum)
    {
        // Opened here rather than inside Serilog's configuration so a bad path surfaces as an exception.
        var file = new AppendFileSink(path, new MessageTemplateTextFormatter(Template, System.Globalization.CultureInfo.InvariantCulture));
        Logger logger = new LoggerConfiguration()
            .MinimumLevel.Is(Map(minimum))
            .Enrich.WithProperty("Pid", Environment.ProcessId)
            .WriteTo.Sink(file)
            .CreateLogger();
        return new SerilogFileSink(logger);
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
