using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// The nf_tables features under load and under SIGKILL: bursts of bridge (ipMasq, macspoofchk) + cnisharp-portmap
/// chains in parallel, and portmap ADDs and DELs killed mid-way; afterwards every element must belong to a live
/// pod, and every live pod must still hold its own.
/// </summary>
[Collection(StressCollection.Name)]
public class PortmapStressTests(ITestOutputHelper output)
{
    private const string Portmap = "cnisharp-portmap";
    private const int FirstHostPort = 21000;

    // Per pod: its masquerade address, its spoof-check port and (port, MAC), its host-port map element and the
    // hairpin range: five elements owned by "containerId/eth0".
    private const int ElementsPerPod = 5;

    private static string BridgeConfig(TestNetwork net) =>
        net.Config(c => { c["ipMasq"] = true; c["macspoofchk"] = true; c["hairpinMode"] = true; });

    /// <summary>The portmap plugin's config for one pod, as libcni builds it: prevResult, runtimeConfig.</summary>
    private static string PortmapConfig(TestNetwork net, JsonElement? bridgeResult, int hostPort)
    {
        var conf = new JsonObject
        {
            ["cniVersion"] = net.CniVersion,
            ["name"] = net.Name,
            ["type"] = Portmap,
            ["capabilities"] = new JsonObject { ["portMappings"] = true },
            ["runtimeConfig"] = new JsonObject
            {
                ["portMappings"] = new JsonArray(new JsonObject { ["hostPort"] = hostPort, ["containerPort"] = 8080, ["protocol"] = "udp" }),
            },
        };
        if (bridgeResult is JsonElement r) conf["prevResult"] = JsonNode.Parse(r.GetRawText());
        return conf.ToJsonString();
    }

    private static CniPluginRunner.Invocation RunPortmap(string verb, string config, StressPod pod) =>
        CniPluginRunner.Run(Portmap, verb, config, pod.ContainerId, pod.NetnsPath, StressPod.IfName);

    [RootFact]
    public void ParallelChains_WithMasqueradeSpoofCheckAndPortmap_ThenParallelDels_LeaveNoElement()
    {
        CniPluginRunner.RequireBinary();
        int count = Math.Min(StressSettings.BurstPods, 240), parallel = StressSettings.BurstParallel;
        using var net = new TestNetwork();
        string bridge = BridgeConfig(net);
        var pods = new ConcurrentBag<(StressPod Pod, int HostPort)>();
        try
        {
            ParallelWork.ForEachOrThrow(Enumerable.Range(0, count).ToList(), 8, i => pods.Add((new StressPod("stp"), FirstHostPort + i)), "creating the netns");
            List<(StressPod Pod, int HostPort)> all = [.. pods];
            var clock = Stopwatch.StartNew();
            var addFailures = ParallelWork.ForEach(all, parallel, p =>
            {
                Expect(p.Pod.Add(bridge), "bridge ADD", p.Pod);
                Expect(RunPortmap("ADD", PortmapConfig(net, p.Pod.Result, p.HostPort), p.Pod), "portmap ADD", p.Pod);
            });
            output.WriteLine($"  {count} chain ADDs with {parallel} in parallel: {clock.Elapsed.TotalSeconds:0.0} s, {addFailures.Count} failed");
            Assert.True(addFailures.Count == 0, string.Join("\n", addFailures.Take(5).Select(f => f.Error.Message)));

            List<string> owners = NftState.Owners(net.Name);
            foreach ((StressPod pod, _) in all)
                Assert.Equal(ElementsPerPod, owners.Count(o => o == $"{pod.ContainerId}/{StressPod.IfName}"));
            NetworkAudit.AssertConsistent(net, all.Select(p => p.Pod).ToList(), $"after {count} parallel chain ADDs");

            clock.Restart();
            var delFailures = ParallelWork.ForEach(all, parallel, p =>
            {
                Expect(RunPortmap("DEL", PortmapConfig(net, p.Pod.Result, p.HostPort), p.Pod), "portmap DEL", p.Pod);
                Expect(p.Pod.Del(bridge), "bridge DEL", p.Pod);
            });
            output.WriteLine($"  {count} chain DELs: {clock.Elapsed.TotalSeconds:0.0} s, {delFailures.Count} failed");
            Assert.True(delFailures.Count == 0, string.Join("\n", delFailures.Take(5).Select(f => f.Error.Message)));
            Assert.Empty(NftState.Owners(net.Name));
            NetworkAudit.AssertConsistent(net, all.Select(p => p.Pod).ToList(), $"after {count} parallel chain DELs");
        }
        finally
        {
            ParallelWork.ForEach(pods.Select(p => p.Pod).ToList(), 8, pod => pod.Dispose());
        }
    }

    [RootFact]
    public void KilledPortmapAddsAndDels_ThenDelOrGc_LeaveNoElementOfTheVictim()
    {
        CniPluginRunner.RequireBinary();
        int seed = StressSettings.Seed(), iterations = Math.Max(8, StressSettings.CrashIterations / 2);
        var random = new Random(seed);
        using var net = new TestNetwork();
        string bridge = BridgeConfig(net);
        var live = new List<(StressPod Pod, int HostPort)>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var pod = new StressPod("stq");
                live.Add((pod, FirstHostPort + i));
                Expect(pod.Add(bridge), "bridge ADD", pod);
                Expect(RunPortmap("ADD", PortmapConfig(net, pod.Result, FirstHostPort + i), pod), "portmap ADD", pod);
            }
            var adds = new KillSchedule(iterations, random);
            var dels = new KillSchedule(iterations, random);
            for (int i = 0; i < 5; i++)
            {
                using var probe = new StressPod("stq");
                Expect(probe.Add(bridge), "bridge ADD", probe);
                string config = PortmapConfig(net, probe.Result, FirstHostPort + 100);
                InterruptedRun.Outcome add = InterruptedRun.Run("ADD", config, probe, killAfter: null, Portmap);
                Assert.True(add.Completed, $"calibration portmap ADD: {add}");
                adds.Observe(add.Lifetime);
                InterruptedRun.Outcome del = InterruptedRun.Run("DEL", config, probe, killAfter: null, Portmap);
                Assert.True(del.Completed, $"calibration portmap DEL: {del}");
                dels.Observe(del.Lifetime);
                Expect(probe.Del(bridge), "bridge DEL", probe);
            }
            output.WriteLine($"killed portmap: seed {seed} (CNISHARP_STRESS_SEED={seed} repeats it), {iterations} kills each of ADD and DEL, " +
                             $"medians {adds.Median.TotalMilliseconds:0.0} / {dels.Median.TotalMilliseconds:0.0} ms");

            int killedAdds = 0, killedDels = 0;
            for (int i = 0; i < iterations; i++)
            {
                string when = $"kill {i} (seed {seed})";
                using var victim = new StressPod("stq");
                Expect(victim.Add(bridge), "bridge ADD", victim);
                int hostPort = FirstHostPort + 200 + i;
                string config = PortmapConfig(net, victim.Result, hostPort);

                InterruptedRun.Outcome add = InterruptedRun.Run("ADD", config, victim, adds.DelayFor(i), Portmap);
                Assert.True(add.Killed || add.Completed, $"{when}: portmap ADD failed on its own: {add}");
                if (add.Killed) killedAdds++;
                if (i % 2 == 0)
                {
                    // The runtime saw the ADD fail, or lost it: DEL of the chain, a DEL killed too, then DEL again.
                    InterruptedRun.Outcome del = InterruptedRun.Run("DEL", config, victim, dels.DelayFor(i), Portmap);
                    Assert.True(del.Killed || del.Completed, $"{when}: portmap DEL failed on its own: {del}");
                    if (del.Killed) killedDels++;
                    Expect(RunPortmap("DEL", config, victim), "repeated portmap DEL", victim);
                }
                else
                {
                    // The runtime lost the attachment: GC with the live pods as the valid ones.
                    JsonObject gc = JsonNode.Parse(PortmapConfig(net, null, hostPort))!.AsObject();
                    gc["cni.dev/valid-attachments"] = new JsonArray(live.Select(p =>
                        (JsonNode)new JsonObject { ["containerID"] = p.Pod.ContainerId, ["ifname"] = StressPod.IfName }).ToArray());
                    var run = CniPluginRunner.Run(Portmap, "GC", gc.ToJsonString());
                    Assert.True(run.ExitCode == 0, $"{when}: portmap GC: {run}");
                }
                Expect(victim.Del(bridge), "bridge DEL", victim);

                List<string> owners = NftState.Owners(net.Name);
                Assert.DoesNotContain($"{victim.ContainerId}/{StressPod.IfName}", owners);
                foreach ((StressPod pod, _) in live)
                    Assert.True(ElementsPerPod == owners.Count(o => o == $"{pod.ContainerId}/{StressPod.IfName}"), $"{when}: live {pod} lost elements");
                NetworkAudit.AssertConsistent(net, [.. live.Select(p => p.Pod), victim], when);
            }
            output.WriteLine($"  {killedAdds} portmap ADDs and {killedDels} DELs were killed before they finished");

            foreach ((StressPod pod, int hostPort) in live)
            {
                Expect(RunPortmap("DEL", PortmapConfig(net, pod.Result, hostPort), pod), "portmap DEL", pod);
                Expect(pod.Del(bridge), "bridge DEL", pod);
            }
            Assert.Empty(NftState.Owners(net.Name));
        }
        finally
        {
            foreach ((StressPod pod, _) in live) pod.Dispose();
        }
    }

    private static void Expect(CniPluginRunner.Invocation run, string what, StressPod pod)
    {
        if (run.ExitCode != 0) throw new InvalidOperationException($"{what} of {pod.ContainerId}: {run}");
    }
}
