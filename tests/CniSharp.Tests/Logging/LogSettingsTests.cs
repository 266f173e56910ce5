using CniSharp.Cni;
using CniSharp.Logging;
using CniSharp.Tests.Host;

namespace CniSharp.Tests.Logging;

[Collection(LogCollection.Name)]
public class LogSettingsTests
{
    // LogLevel: 0 debug, 1 information, 2 warning, 3 error.
    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("info", 1)]
    [InlineData("DEBUG", 0)]
    [InlineData("warn", 2)]
    [InlineData("warning", 2)]
    [InlineData("error", 3)]
    [InlineData("chatty", 1)]
    public void ParseLevel_MapsNames(string? text, int expected) => Assert.Equal((LogLevel)expected, LogSettings.ParseLevel(text));

    [Fact]
    public void Environment_WithoutFile_IsOff()
    {
        Assert.Null(LogSettings.FromEnvironment(name => name == "CNISHARP_LOG_LEVEL" ? "debug" : null));
    }

    [Fact]
    public void Environment_WithFile_DefaultsToInfo()
    {
        Assert.Equal(new LogSettings("/tmp/x.log", LogLevel.Information), LogSettings.FromEnvironment(name => name == "CNISHARP_LOG_FILE" ? "/tmp/x.log" : null));
    }

    [Fact]
    public void Config_LevelFallsBackToTheEnvironment()
    {
        Assert.Equal(new LogSettings("/a.log", LogLevel.Error),
            LogSettings.FromConfig(new LogConf { File = "/a.log" }, name => name == "CNISHARP_LOG_LEVEL" ? "error" : null));
        Assert.Null(LogSettings.FromConfig(new LogConf { Level = "debug" }, _ => null));
    }

    [Fact]
    public void SerilogFileSink_WritesLevelPidAndMessageVerbatim()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cnisharp-log-" + Guid.NewGuid().ToString("N"));
        string file = Path.Combine(dir, "a.log");
        using (SerilogFileSink sink = SerilogFileSink.Open(file, LogLevel.Information))
        {
            sink.Write(LogLevel.Debug, "hidden");
            sink.Write(LogLevel.Warning, "braces {stay} \"quoted\"");
        }

        string text = File.ReadAllText(file);
        Assert.DoesNotContain("hidden", text);
        Assert.Contains("[WRN]", text);
        Assert.Contains($"[{Environment.ProcessId}]", text);
        Assert.Contains("braces {stay} \"quoted\"", text);
        Directory.Delete(dir, recursive: true);
    }
}
