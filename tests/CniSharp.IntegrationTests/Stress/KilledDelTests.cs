using CniSharp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// DEL killed part-way (after releasing the address but before the veth went, or the reverse): the runtime
/// repeats DEL, which must finish the job and succeed, leaving nothing and disturbing no other pod.
/// </summary>
[Collection(StressCollection.Name)]
public class KilledDelTests(ITestOutputHelper output)
{
    private const int Bystanders = 2;

    [RootFact]
    public void KilledDels_ThenARepeatedDel_LeaveNoResidue()
    {
        CniPluginRunner.RequireBinary();
        int seed = StressSettings.Seed(), iterations = Math.Max(8, StressSettings.CrashIterations / 3);
        var random = new Random(seed);
        using var net = new TestNetwork();
        string config = net.Config();
        var bystanders = new List<StressPod>();
        var states = new SortedDictionary<string, int>(StringComparer.Ordinal);
        try
        {
            var schedule = new KillSchedule(iterations, random);
            schedule.CalibrateDel(config, runs: 7);
            output.WriteLine($"killed DEL: seed {seed} (CNISHARP_STRESS_SEED={seed} repeats it), {iterations} kills, " +
                             $"delays spread over the median DEL, {schedule.Median.TotalMilliseconds:0.0} ms");
            for (int i = 0; i < Bystanders; i++)
            {
                var pod = new StressPod("stk");
                bystanders.Add(pod);
                Assert.True(pod.Add(config).ExitCode == 0, $"ADD of bystander {pod}");
            }

            for (int i = 0; i < iterations; i++)
            {
                TimeSpan delay = schedule.DelayFor(i);
                string when = $"DEL kill {i} (after {delay.TotalMilliseconds:0.00} ms, seed {seed})";
                using var victim = new StressPod("stk");
                var add = victim.Add(config);
                Assert.True(add.ExitCode == 0, $"{when}: ADD: {add}");
                string withPrev = TestNetwork.WithPrevResult(config, add.Json);

                InterruptedRun.Outcome outcome = InterruptedRun.Run("DEL", withPrev, victim, delay);
                Assert.True(outcome.Killed || outcome.Completed, $"{when}: DEL failed on its own: {outcome}");
                string state = outcome.Completed ? "finished" : StateLeftBy(net, victim);
                states[state] = states.GetValueOrDefault(state) + 1;

                var again = victim.Del(config);
                Assert.True(again.ExitCode == 0, $"{when}: repeated DEL: {again}");
                NetworkAudit.AssertConsistent(net, [.. bystanders, victim], when);
            }
            output.WriteLine($"  state the kills left: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}");

            foreach (StressPod pod in bystanders)
                Assert.True(pod.Del(config).ExitCode == 0, $"final DEL of {pod}");
            Assert.Empty(net.Reservations());
        }
        finally
        {
            foreach (StressPod pod in bystanders) pod.Dispose();
        }
    }

    /// <summary>DEL releases the address first, then removes the veth; only reported, never asserted.</summary>
    private static string StateLeftBy(TestNetwork net, StressPod victim)
    {
        bool reserved = NetworkAudit.ReadStore(net).Owners.ContainsValue(victim.OwnerKey);
        bool veth = NetworkAudit.HostLinks().ContainsKey(victim.HostVeth);
        return (reserved, veth) switch
        {
            (true, true) => "1 untouched",
            (false, true) => "2 released, veth left",
            (false, false) => "3 all done",
            _ => "unexpected: veth gone, reservation left",
        };
    }
}
