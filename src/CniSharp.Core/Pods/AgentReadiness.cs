using System.Globalization;
using CniSharp.Cni;

namespace CniSharp.Pods;

/// <summary>
/// STATUS from a node agent's readiness file ("readinessFile" in the conflist cnisharp-agent writes): the agent
/// rewrites it every 2 s while synced, so a missing file or one older than <see cref="MaxAge"/> means the agent
/// is not running or not ready, and the runtime is told so (code 50, it waits) instead of pod ADDs failing hard
/// (flannel#2232). ADD does not look at it: a pod on a node whose agent restarts is still wired correctly.
/// </summary>
internal static class AgentReadiness
{
    /// <summary>Fifteen missed refreshes: a busy node never trips it, a dead agent does within half a minute.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    /// <summary>Throws CNI error 50 unless <paramref name="readinessFile"/> (when set) exists and is fresh at <paramref name="nowUtc"/>.</summary>
    public static void Require(string? readinessFile, DateTime nowUtc)
    {
        if (string.IsNullOrEmpty(readinessFile)) return;
        var file = new FileInfo(readinessFile);
        if (!file.Exists)
            throw new CniException(CniErrorCode.NotAvailable,
                $"readiness file {readinessFile} is missing: the node agent (cnisharp-agent) is not running or not ready yet");
        TimeSpan age = nowUtc - file.LastWriteTimeUtc;
        // A file from the future (clock stepped back) counts as fresh: the agent is writing it.
        if (age > MaxAge)
            throw new CniException(CniErrorCode.NotAvailable,
                string.Create(CultureInfo.InvariantCulture,
                    $"readiness file {readinessFile} is {age.TotalSeconds:0} s old (limit {MaxAge.TotalSeconds:0} s): the node agent (cnisharp-agent) is not running or not ready"));
    }
}
