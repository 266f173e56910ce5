using System.Globalization;
using System.Text;
using CniSharp.Files;

namespace CniSharp.Agent.Conflist;

/// <summary>
/// <c>&lt;state-dir&gt;/ready</c>: rewritten every <see cref="RefreshInterval"/> while the agent is synced. The
/// conflist names it; the plugin's STATUS treats a missing file or one older than 30 s as "not ready" (code
/// 50), which a runtime handles by waiting instead of failing pod ADDs (flannel#2232).
/// </summary>
internal sealed class ReadinessFile(string stateDir)
{
    public const string FileName = "ready";

    /// <summary>Well inside the "at least every 5 s" and the plugin's 30 s staleness limit.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    public string Path { get; } = System.IO.Path.Combine(stateDir, FileName);

    public void Refresh(string node)
    {
        // The content is for people; the plugin only looks at the mtime.
        string text = string.Create(CultureInfo.InvariantCulture, $"{node} {DateTimeOffset.UtcNow:O}\n");
        SmallFile.Replace(Path, Encoding.UTF8.GetBytes(text), 0b110_100_100);
    }
}
