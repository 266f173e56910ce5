using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// When to kill. Each kill gets a fraction of the run, stratified (one per equal slice of [0, 1), shuffled), so
/// kills land all along it: before the config is read, in the veth, in IPAM, in the netns, while waiting for
/// the port. The fraction is applied to the median of the recently measured runs, so the spread follows the
/// machine's load as it changes during the test; runs slower than the median finish before their kill.
/// </summary>
internal sealed class KillSchedule
{
    private const int Window = 15;

    private readonly List<double> _fractions;
    private readonly Queue<TimeSpan> _recent = new();

    public KillSchedule(int kills, Random random) =>
        _fractions = Enumerable.Range(0, kills).Select(i => (i + random.NextDouble()) / kills).OrderBy(_ => random.Next()).ToList();

    /// <summary>The median of the last few measured runs.</summary>
    public TimeSpan Median
    {
        get
        {
            List<TimeSpan> sorted = _recent.Order().ToList();
            return sorted.Count == 0 ? throw new InvalidOperationException("no run measured yet") : sorted[sorted.Count / 2];
        }
    }

    /// <summary>The kill's delay; `from` narrows its slice to the later part of the run, [from, 1) x median.</summary>
    public TimeSpan DelayFor(int kill, double from = 0) => Median * (from + (1 - from) * _fractions[kill]);

    /// <summary>Feeds the duration of a complete run, as <see cref="InterruptedRun"/> measured it.</summary>
    public void Observe(TimeSpan duration)
    {
        _recent.Enqueue(duration);
        if (_recent.Count > Window) _recent.Dequeue();
    }

    /// <summary>Measures ADD (then DELs) on fresh pods of the network.</summary>
    public void CalibrateAdd(string config, int runs, PluginTarget? target = null)
    {
        for (int i = 0; i < runs; i++)
        {
            using var pod = new StressPod("stm", target);
            Observe(pod.AddMeasured(config));
            var del = pod.Del(config);
            Assert.True(del.ExitCode == 0, $"calibration DEL: {del}");
        }
    }

    /// <summary>Measures DEL (with prevResult, as libcni sends it) of freshly added pods.</summary>
    public void CalibrateDel(string config, int runs)
    {
        for (int i = 0; i < runs; i++)
        {
            using var pod = new StressPod("stm");
            var add = pod.Add(config);
            Assert.True(add.ExitCode == 0, $"calibration ADD: {add}");
            InterruptedRun.Outcome del = InterruptedRun.Run("DEL", TestNetwork.WithPrevResult(config, add.Json), pod, killAfter: null);
            Assert.True(del.Completed, $"calibration DEL: {del}");
            Observe(del.Lifetime);
        }
    }
}
