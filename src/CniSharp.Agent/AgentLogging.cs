using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CniSharp.Agent;

/// <summary>Structured logs to stderr (Serilog): text for people, compact JSON (--log-format json) for collectors.</summary>
internal static class AgentLogging
{
    public static ILogger Create(bool json, bool verbose, string? node)
    {
        LoggerConfiguration config = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .Enrich.WithProperty("Node", node ?? "");
        config = json
            ? config.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            : config.WriteTo.Console(
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3} {Message:lj} {Properties:j}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        return config.CreateLogger();
    }
}
