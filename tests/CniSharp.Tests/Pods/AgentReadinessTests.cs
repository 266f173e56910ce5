using CniSharp.Cni;
using CniSharp.Pods;

namespace CniSharp.Tests.Pods;

public sealed class AgentReadinessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cnisharp-readiness-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FileAged(TimeSpan age, DateTime now)
    {
        string path = Path.Combine(_dir, "ready");
        File.WriteAllText(path, "n1\n");
        File.SetLastWriteTimeUtc(path, now - age);
        return path;
    }

    [Fact]
    public void Without_a_readiness_file_configured_nothing_is_checked()
    {
        AgentReadiness.Require(null, DateTime.UtcNow);
        AgentReadiness.Require("", DateTime.UtcNow);
    }

    [Fact]
    public void A_missing_file_is_code_50_naming_it_and_the_agent()
    {
        string path = Path.Combine(_dir, "ready");
        var e = Assert.Throws<CniException>(() => AgentReadiness.Require(path, DateTime.UtcNow));
        Assert.Equal(CniErrorCode.NotAvailable, e.Code);
        Assert.Contains(path, e.Message);
        Assert.Contains("cnisharp-agent", e.Message);
        Assert.Contains("not running", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(29)]
    [InlineData(-600)]   // from the future: the clock stepped back while the agent writes it
    public void A_file_within_30_seconds_is_ready(int ageSeconds)
    {
        DateTime now = DateTime.UtcNow;
        AgentReadiness.Require(FileAged(TimeSpan.FromSeconds(ageSeconds), now), now);
    }

    [Fact]
    public void A_stale_file_is_code_50_with_its_age()
    {
        DateTime now = DateTime.UtcNow;
        string path = FileAged(TimeSpan.FromSeconds(45), now);
        var e = Assert.Throws<CniException>(() => AgentReadiness.Require(path, now));
        Assert.Equal(CniErrorCode.NotAvailable, e.Code);
        Assert.Contains($"{path} is 45 s old (limit 30 s)", e.Message);
        Assert.Contains("not running or not ready", e.Message);
    }
}
