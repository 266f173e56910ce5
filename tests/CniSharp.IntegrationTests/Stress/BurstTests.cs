using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// Many runtimes' worth of pods at once on one bridge: CNISHARP_STRESS_PODS ADDs with CNISHARP_STRESS_PARALLEL
/// plugin processes in flight, then as many DELs. The IPAM lock, the bridge lock and rtnl all see contention.
/// </summary>
[Collection(StressCollection.Name)]
public class BurstTests(ITestOutputHelper output)
{
    [RootFact]
    public void ParallelAdds_ThenParallelDels_GiveUniqueAddresses_AndLeaveNothing()
    {
        CniPluginRunner.RequireBinary();
        int count = StressSettings.BurstPods, parallel = StressSettings.BurstParallel;
        using var net = new TestNetwork();
        string config = ConfigSized(net, count, out string subnet);
        output.WriteLine($"burst: {count} pods, {parallel} in parallel, subnet {subnet}, bridge {net.Bridge}");
        var pods = new ConcurrentBag<StressPod>();
        try
        {
            var clock = Stopwatch.StartNew();
            ParallelWork.ForEachOrThrow(Enumerable.Range(0, count).ToList(), 8, _ => pods.Add(new StressPod("stb")), "creating the netns");
            List<StressPod> all = [.. pods];
            output.WriteLine($"  {count} netns in {clock.Elapsed.TotalSeconds:0.0} s");

            clock.Restart();
            var addFailures = ParallelWork.ForEach(all, parallel, pod => Expect(pod.Add(config), "ADD", pod));
            TimeSpan addTime = clock.Elapsed;
            output.WriteLine($"  ADD x{count}: {addTime.TotalSeconds:0.0} s, {addFailures.Count} failed");
            Assert.True(addFailures.Count == 0, Describe(addFailures, "ADD"));

            var duplicates = all.GroupBy(p => p.Address).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"addresses handed out twice: {string.Join(", ", duplicates)}");
            Assert.Equal(count, net.Reservations().Count);
            NetworkAudit.AssertConsistent(net, all, $"after {count} parallel ADDs");

            clock.Restart();
            var delFailures = ParallelWork.ForEach(all, parallel, pod => Expect(pod.Del(config), "DEL", pod));
            output.WriteLine($"  DEL x{count}: {clock.Elapsed.TotalSeconds:0.0} s, {delFailures.Count} failed");
            Assert.True(delFailures.Count == 0, Describe(delFailures, "DEL"));

            Assert.Empty(net.Reservations());
            Assert.Empty(net.AttachmentRecords());
            Assert.DoesNotContain(NetworkAudit.HostLinks(), l => l.Key.StartsWith("cns", StringComparison.Ordinal) && l.Value == net.Bridge);
            NetworkAudit.AssertConsistent(net, all, $"after {count} parallel DELs");
        }
        finally
        {
            ParallelWork.ForEach(pods.ToList(), 8, pod => pod.Dispose());
        }
    }

    [RootFact]
    public void ParallelAdds_BeyondTheRange_FillItExactly_AndTheRestRollBackCleanly()
    {
        CniPluginRunner.RequireBinary();
        // A /27: 29 addresses for pods (no network, broadcast or gateway), and half as many pods again.
        const int Capacity = 29, Pods = 44;
        int parallel = Math.Min(StressSettings.BurstParallel, 16);
        using var net = new TestNetwork();
        string config = net.Config(c => c["ipam"]!["ranges"] = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = $"10.231.{net.Octet}.0/27" } } });
        var pods = new ConcurrentBag<StressPod>();
        try
        {
            ParallelWork.ForEachOrThrow(Enumerable.Range(0, Pods).ToList(), 8, _ => pods.Add(new StressPod("stx")), "creating the netns");
            List<StressPod> all = [.. pods];
            var refusals = new ConcurrentBag<CniPluginRunner.Invocation>();
            var failures = ParallelWork.ForEach(all, parallel, pod =>
            {
                var add = pod.Add(config);
                if (add.ExitCode != 0) refusals.Add(add);
            });
            Assert.True(failures.Count == 0, Describe(failures, "ADD"));

            Assert.Equal(Capacity, all.Count(p => p.IsAttached));
            Assert.Equal(Pods - Capacity, refusals.Count);
            foreach (CniPluginRunner.Invocation refused in refusals)
                Assert.True(refused.ExitCode != 0 && refused.ErrorMessage.Contains("no IP addresses available"), refused.ToString());
            // The refused ADDs had made their veth before IPAM said no: the rollback must have removed every one.
            NetworkAudit.AssertConsistent(net, all, $"after {Pods} parallel ADDs into {Capacity} addresses");

            var delFailures = ParallelWork.ForEach(all, parallel, pod => Expect(pod.Del(config), "DEL", pod));
            Assert.True(delFailures.Count == 0, Describe(delFailures, "DEL"));
            Assert.Empty(net.Reservations());
            NetworkAudit.AssertConsistent(net, all, "after the DELs");
        }
        finally
        {
            ParallelWork.ForEach(pods.ToList(), 8, pod => pod.Dispose());
        }
    }

    /// <summary>
    /// The network's own /24 when the pods fit (253 addresses: no network, broadcast or gateway); for larger
    /// runs outside CI, a wider subnet from 10.236.0.0/13, which no other test uses.
    /// </summary>
    private static string ConfigSized(TestNetwork net, int pods, out string subnet)
    {
        int hostBits = 8;
        while ((1 << hostBits) - 3 < pods) hostBits++;
        if (hostBits > 16) throw new ArgumentException($"{pods} pods do not fit in a /16");
        if (hostBits == 8)
        {
            subnet = net.Subnet4;
            return net.Config();
        }
        string wide = subnet = $"10.{236 + net.Octet % 8}.0.0/{32 - hostBits}";
        return net.Config(c => c["ipam"]!["ranges"] = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = wide } } });
    }

    private static void Expect(CniPluginRunner.Invocation run, string verb, StressPod pod)
    {
        if (run.ExitCode != 0) throw new InvalidOperationException($"{verb} of {pod.ContainerId}: {run}");
    }

    private static string Describe(List<(StressPod Pod, Exception Error)> failures, string verb) =>
        $"{failures.Count} {verb}s failed; first: " + string.Join("\n", failures.Take(5).Select(f => f.Error.Message));
}
