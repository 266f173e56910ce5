using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// ADDs killed with SIGKILL at spread-out points of their run, then cleaned up the way a runtime would (DEL,
/// or GC with the still-valid attachments), each followed by a full audit and a fresh ADD that must work and
/// must not get an address some live pod holds.
/// </summary>
[Collection(StressCollection.Name)]
public class CrashConsistencyTests(ITestOutputHelper output)
{
    /// <summary>Pods kept attached throughout, so GC has attachments to keep and the store has owners to protect.</summary>
    private const int LivePods = 6;

    private enum Recovery
    {
        /// <summary>The runtime notices the failed ADD and runs DEL.</summary>
        Del,
        /// <summary>The runtime lost the attachment: GC (without it in the valid list) first, then a late DEL.</summary>
        GcThenDel,
        /// <summary>Only GC, never a DEL: GC alone must clean everything.</summary>
        GcOnly,
    }

    [RootFact]
    public void KilledAdds_ThenDelOrGc_LeaveNoResidue_AndTheStoreKeepsWorking()
    {
        // Every third kill is recovered by GC: IPAM releases the reservation; the late DEL removes the links.
        RunKillLoop(StressSettings.CrashIterations, i => i % 3 == 2 ? Recovery.GcThenDel : Recovery.Del, PluginTarget.Bridge);
    }

    [RootFact]
    public void KilledAdds_ThenGcAlone_RemovesReservationVethAndRecord()
    {
        RunKillLoop(Math.Max(1, StressSettings.CrashIterations / 4), _ => Recovery.GcOnly, PluginTarget.Bridge);
    }

    [RootFact]
    public void KilledPtpAdds_ThenDelGcOrGcAlone_LeaveNoVethRouteReservationOrRecord()
    {
        // Routed pods on a node namespace: the same kills and recoveries, audited for host routes instead of ports.
        using var node = new NodeNamespace();
        RunKillLoop(Math.Max(3, StressSettings.CrashIterations / 2), i => (Recovery)(i % 3), PluginTarget.Ptp(node));
    }

    private void RunKillLoop(int iterations, Func<int, Recovery> recoveryFor, PluginTarget target)
    {
        CniPluginRunner.RequireBinary();
        int seed = StressSettings.Seed();
        var random = new Random(seed);
        using var net = new TestNetwork();
        string config = target.Config(net);
        var live = new List<StressPod>();
        var ledger = new AddressLedger();
        var outcomes = new List<InterruptedRun.Outcome>();
        int releasedByGc = 0;
        var phases = new SortedDictionary<string, int>(StringComparer.Ordinal);
        try
        {
            var schedule = new KillSchedule(iterations, random);
            schedule.CalibrateAdd(config, runs: 7, target);
            output.WriteLine($"crash ({target}): seed {seed} (CNISHARP_STRESS_SEED={seed} repeats it), {iterations} kills, " +
                             $"delays spread over the median of recent ADDs (at first {schedule.Median.TotalMilliseconds:0.0} ms)");

            while (live.Count < LivePods) AddLivePod(config, live, ledger, schedule, target);

            for (int i = 0; i < iterations; i++)
            {
                Recovery recovery = recoveryFor(i);
                // GC kills aim at the second half of ADD, where the reservation exists: an early kill leaves GC nothing to do.
                TimeSpan delay = schedule.DelayFor(i, from: recovery == Recovery.Del ? 0 : 0.5);
                string when = $"kill {i} ({recovery}, after {delay.TotalMilliseconds:0.00} ms, seed {seed})";
                using var victim = new StressPod("stc", target);
                InterruptedRun.Outcome outcome = InterruptedRun.Run("ADD", config, victim, delay);
                outcomes.Add(outcome);
                Assert.True(outcome.Killed || outcome.Completed, $"{when}: ADD failed on its own: {outcome}");
                string reached = outcome.Completed ? "finished" : StateLeftBy(net, victim, target);
                phases[reached] = phases.GetValueOrDefault(reached) + 1;
                if (outcome.Completed)
                {
                    string address = StressPod.AddressIn(outcome.Result);
                    Assert.False(live.Any(p => p.Address == address), $"{when}: ADD handed out {address}, held by a live pod");
                }

                if (recovery is Recovery.GcThenDel or Recovery.GcOnly)
                {
                    if (NetworkAudit.ReadStore(net).Owners.ContainsValue(victim.OwnerKey)) releasedByGc++;
                    var gc = RunGc(config, live, target);
                    Assert.True(gc.ExitCode == 0, $"{when}: GC: {gc}");
                    NetworkAudit.Store store = NetworkAudit.ReadStore(net);
                    Assert.DoesNotContain(store.Owners, o => o.Value == victim.OwnerKey);
                    foreach (StressPod pod in live)
                        Assert.True(store.Owners.TryGetValue(pod.Address!, out string? owner) && owner == pod.OwnerKey,
                            $"{when}: GC took {pod.Address} from live {pod}");
                }
                if (recovery is Recovery.Del or Recovery.GcThenDel)
                {
                    // The runtime never got a result, so there is no prevResult to pass.
                    var del = victim.Del(config);
                    Assert.True(del.ExitCode == 0, $"{when}: DEL: {del}");
                }

                // Nothing of the victim is left, the live pods are untouched, and the store still serves an ADD.
                NetworkAudit.AssertConsistent(net, [.. live, victim], when, target);
                AddLivePod(config, live, ledger, schedule, target);
                StressPod oldest = live[0];
                live.RemoveAt(0);
                ledger.Released(oldest.Address!, oldest.ContainerId);
                var retire = oldest.Del(config);
                oldest.Dispose();
                Assert.True(retire.ExitCode == 0, $"{when}: DEL of live {oldest}: {retire}");
            }

            int killed = outcomes.Count(o => o.Killed);
            output.WriteLine($"  {killed} killed mid-ADD, {outcomes.Count - killed} finished before the kill; " +
                             $"killed ADDs ran {Range(outcomes.Where(o => o.Killed))}; " +
                             $"GC released {releasedByGc} reservations of killed ADDs; {ledger.HandedOut} addresses handed to live pods");
            output.WriteLine($"  state the kills left: {string.Join(", ", phases.Select(p => $"{p.Key} {p.Value}"))}");
            Assert.True(ledger.Conflicts.Count == 0, $"seed {seed}: " + string.Join("\n", ledger.Conflicts));

            foreach (StressPod pod in live)
                Assert.True(pod.Del(config).ExitCode == 0, $"final DEL of {pod}");
            Assert.Empty(net.Reservations());
            NetworkAudit.AssertConsistent(net, live, $"after the final DELs (seed {seed})", target);
        }
        finally
        {
            foreach (StressPod pod in live) pod.Dispose();
        }
    }

    /// <summary>
    /// How far a killed ADD got, from what it left behind (ADD makes the veth, then reserves, then configures
    /// the container). Only reported, never asserted: where a kill lands depends on the machine's load.
    /// </summary>
    private static string StateLeftBy(TestNetwork net, StressPod victim, PluginTarget target)
    {
        bool veth = NetworkAudit.HostLinks(target.NodeNetns).ContainsKey(victim.HostVeth);
        bool reserved = NetworkAudit.ReadStore(net).Owners.ContainsValue(victim.OwnerKey);
        bool addressed = NetworkAudit.ContainerInterfaces(victim.NetnsName).Any(i => i.Contains(' '));
        return (veth, reserved, addressed) switch
        {
            (false, false, false) => "1 nothing",
            (true, false, false) => "2 veth",
            (true, true, false) => "3 veth+reservation",
            (true, true, true) => "4 veth+reservation+address",
            _ => $"unexpected (veth {veth}, reservation {reserved}, address {addressed})",
        };
    }

    /// <summary>A good ADD, which must work whatever the kills left; its duration keeps the kill schedule current.</summary>
    private static void AddLivePod(string config, List<StressPod> live, AddressLedger ledger, KillSchedule schedule, PluginTarget target)
    {
        var pod = new StressPod("stl", target);
        try
        {
            schedule.Observe(pod.AddMeasured(config));
        }
        catch
        {
            pod.Dispose();
            throw;
        }
        Assert.False(live.Any(p => p.Address == pod.Address), $"ADD handed out {pod.Address}, held by a live pod");
        ledger.Claimed(pod);
        live.Add(pod);
    }

    /// <summary>CNI 1.1 GC with the live pods as the valid attachments; no container id, netns or ifname.</summary>
    private static CniPluginRunner.Invocation RunGc(string config, List<StressPod> live, PluginTarget target)
    {
        JsonObject conf = JsonNode.Parse(config)!.AsObject();
        var valid = new JsonArray();
        foreach (StressPod pod in live)
            valid.Add(new JsonObject { ["containerID"] = pod.ContainerId, ["ifname"] = StressPod.IfName });
        conf["cni.dev/valid-attachments"] = valid;
        return target.Run("GC", conf.ToJsonString());
    }

    private static string Range(IEnumerable<InterruptedRun.Outcome> runs)
    {
        List<double> ms = runs.Select(r => r.Lifetime.TotalMilliseconds).Order().ToList();
        return ms.Count == 0 ? "-" : $"{ms[0]:0.0}..{ms[^1]:0.0} ms (median {ms[ms.Count / 2]:0.0})";
    }
}
