using CniSharp.Cni;

namespace CniSharp.Logging;

/// <summary>
/// Where and how much to log for one invocation. Logging is off unless the config has "log": {"file": ...} or the
/// environment sets CNISHARP_LOG_FILE; the config wins because it is per network, the environment is per runtime.
/// </summary>
internal sealed record LogSettings(string File, LogLevel Level)
{
    public const string FileVar = "CNISHARP_LOG_FILE";
    public const string LevelVar = "CNISHARP_LOG_LEVEL";

    public static LogSettings? FromEnvironment(Func<string, string?> getenv) =>
        getenv(FileVar) is { Length: > 0 } file ? new LogSettings(file, ParseLevel(getenv(LevelVar))) : null;

    public static LogSettings? FromConfig(LogConf? conf, Func<string, string?> getenv) =>
        conf?.File is { Length: > 0 } file ? new LogSettings(file, ParseLevel(conf.Level ?? getenv(LevelVar))) : null;

    /// <summary>debug, info (default), warn, error; an unrecognised level means info rather than failing the network call.</summary>
    public static LogLevel ParseLevel(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "debug" or "trace" or "verbose" => LogLevel.Debug,
        "warn" or "warning" => LogLevel.Warning,
        "error" or "fatal" => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
