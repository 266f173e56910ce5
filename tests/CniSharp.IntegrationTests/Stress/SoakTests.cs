using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// A long, seeded random mix of ADD, DEL, CHECK, refused repeated ADDs and idle DELs from several concurrent
/// "runtimes" over a small pool of pods, with the whole network audited every CNISHARP_SOAK_CHECK_EVERY ops.
/// </summary>
[Collection(StressCollection.Name)]
public class SoakTests(ITestOutputHelper output)
{
    private const int Workers = 4;

    [RootFact]
    public void RandomVerbMix_KeepsReservationsKernelAndResultsInAgreement()
    {
        CniPluginRunner.RequireBinary();
        int seed = StressSettings.Seed(), operations = StressSettings.SoakOps, every = StressSettings.SoakCheckEvery;
        int podCount = StressSettings.SoakPods;
        using var net = new TestNetwork();
        // A subnet only a little larger than the pool, so round-robin wraps and addresses are reused often.
        string subnet = podCount <= 20 ? $"10.231.{net.Octet}.0/27" : net.Subnet4;
        string config = net.Config(c => c["ipam"]!["ranges"] = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = subnet } } });
        output.WriteLine($"soak: seed {seed} (CNISHARP_STRESS_SEED={seed} repeats it), {operations} ops, {podCount} pods, " +
                         $"{Workers} workers, subnet {subnet}, audit every {every} ops");

        var pods = new ConcurrentBag<StressPod>();
        var ledger = new AddressLedger();
        try
        {
            ParallelWork.ForEachOrThrow(Enumerable.Range(0, podCount).ToList(), 8, _ => pods.Add(new StressPod("sts")), "creating the netns");
            List<StressPod> all = [.. pods.OrderBy(p => p.NetnsName, StringComparer.Ordinal)];
            List<SoakWorker> workers = Enumerable.Range(0, Workers)
                .Select(w => new SoakWorker(w, seed, all.Where((_, i) => i % Workers == w).ToList(), config, ledger))
                .Where((_, w) => w < all.Count).ToList();

            var clock = Stopwatch.StartNew();
            int audits = 0;
            for (int done = 0; done < operations;)
            {
                int batch = Math.Min(every, operations - done);
                ParallelWork.ForEachOrThrow(workers, workers.Count,
                    w => w.Run(batch / workers.Count + (workers.IndexOf(w) < batch % workers.Count ? 1 : 0)),
                    $"soak ops {done}..{done + batch} (seed {seed})");
                done += batch;
                AuditWithChecks(net, config, all, $"soak after {done} ops (seed {seed})");
                audits++;
            }
            output.WriteLine($"  {operations} ops in {clock.Elapsed.TotalSeconds:0.0} s, {audits} audits: " +
                             $"ADD {workers.Sum(w => w.Adds)}, DEL {workers.Sum(w => w.Dels)}, CHECK {workers.Sum(w => w.Checks)}, " +
                             $"refused repeated ADD {workers.Sum(w => w.RepeatedAdds)}, DEL of detached {workers.Sum(w => w.IdleDels)}; " +
                             $"{ledger.HandedOut} addresses handed out");
            Assert.True(ledger.Conflicts.Count == 0, $"seed {seed}: " + string.Join("\n", ledger.Conflicts));

            List<StressPod> live = all.Where(p => p.IsAttached).ToList();
            ParallelWork.ForEachOrThrow(live, Workers, pod =>
            {
                var del = pod.Del(config);
                if (del.ExitCode != 0) throw new InvalidOperationException($"final DEL of {pod}: {del}");
            }, "final DELs");
            Assert.Empty(net.Reservations());
            Assert.Empty(net.AttachmentRecords());
            NetworkAudit.AssertConsistent(net, all, $"soak after the final DELs (seed {seed})");
        }
        finally
        {
            ParallelWork.ForEach(pods.ToList(), 8, pod => pod.Dispose());
        }
    }

    /// <summary>The full audit, then CHECK of every attached pod (the plugin's own view must agree too).</summary>
    private static void AuditWithChecks(TestNetwork net, string config, List<StressPod> all, string when)
    {
        NetworkAudit.AssertConsistent(net, all, when);
        ParallelWork.ForEachOrThrow(all.Where(p => p.IsAttached).ToList(), Workers, pod =>
        {
            var check = pod.Check(config);
            if (check.ExitCode != 0) throw new InvalidOperationException($"CHECK of {pod}: {check}");
        }, when + ": CHECK of every attached pod");
    }
}
