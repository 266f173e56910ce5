namespace CniSharp.Logging;

internal enum LogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}

/// <summary>Where log lines go once logging is on. Never stdout: stdout carries only the result or error JSON.</summary>
internal interface ILogSink
{
    void Write(LogLevel level, string message);
}

/// <summary>
/// Process-wide log. Off (a no-op, no Serilog loaded) unless the config's "log" section or CNISHARP_LOG_FILE
/// turns it on, so the ADD hot path pays nothing for it.
/// </summary>
internal static class Log
{
    private static ILogSink? s_sink;
    private static LogLevel s_minimum = LogLevel.Information;

    public static void Attach(ILogSink sink, LogLevel minimum)
    {
        s_sink = sink;
        s_minimum = minimum;
    }

    public static void Detach() => s_sink = null;

    public static bool IsEnabled(LogLevel level) => s_sink is not null && level >= s_minimum;

    public static void Debug(string message) => Write(LogLevel.Debug, message);

    public static void Info(string message) => Write(LogLevel.Information, message);

    public static void Warn(string message) => Write(LogLevel.Warning, message);

    public static void Error(string message) => Write(LogLevel.Error, message);

    private static void Write(LogLevel level, string message)
    {
        if (s_sink is not null && level >= s_minimum)
            s_sink.Write(level, message);
    }
}
