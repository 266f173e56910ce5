using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// The first ADD of a network also creates the bridge, puts the gateway address on it and turns on forwarding:
/// killed anywhere in there, the DEL must still clean up the pod and the next ADD must find a working bridge.
/// </summary>
[Collection(StressCollection.Name)]
public class FreshBridgeCrashTests(ITestOutputHelper output)
{
    [RootFact]
    public void KilledFirstAdds_OnFreshNetworks_DoNotBreakTheBridgeForTheNextAdd()
    {
        CniPluginRunner.RequireBinary();
        int seed = StressSettings.Seed(), iterations = Math.Max(4, StressSettings.CrashIterations / 6);
        var random = new Random(seed);
        var schedule = new KillSchedule(iterations, random);
        for (int i = 0; i < 5; i++)
        {
            using var fresh = new TestNetwork();
            schedule.CalibrateAdd(fresh.Config(), runs: 1);
        }
        output.WriteLine($"fresh-network crash: seed {seed}, {iterations} kills, delays spread over the median first ADD, " +
                         $"{schedule.Median.TotalMilliseconds:0.0} ms");
        int killed = 0;
        for (int i = 0; i < iterations; i++)
        {
            TimeSpan delay = schedule.DelayFor(i);
            string when = $"first-ADD kill {i} (after {delay.TotalMilliseconds:0.00} ms, seed {seed})";
            using var net = new TestNetwork();
            string config = net.Config();
            using var victim = new StressPod("stf");
            InterruptedRun.Outcome outcome = InterruptedRun.Run("ADD", config, victim, delay);
            Assert.True(outcome.Killed || outcome.Completed, $"{when}: ADD failed on its own: {outcome}");
            if (outcome.Killed) killed++;
            var del = victim.Del(config);
            Assert.True(del.ExitCode == 0, $"{when}: DEL: {del}");
            NetworkAudit.AssertConsistent(net, [victim], when);

            using var next = new StressPod("stf");
            var add = next.Add(config);
            Assert.True(add.ExitCode == 0, $"{when}: the next ADD: {add}");
            Assert.Contains($"{net.Gateway4}/24", Shell.Addresses(net.Bridge));
            JsonElement bridge = Shell.IpJson("link", "show", net.Bridge)[0];
            Assert.Contains("UP", bridge.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
            NetworkAudit.AssertConsistent(net, [victim, next], when + ", then a good ADD");
            Assert.True(next.Del(config).ExitCode == 0, $"{when}: DEL of the next pod");
        }
        output.WriteLine($"  {killed} killed mid-ADD, {iterations - killed} finished before the kill");
    }


    /// <summary>
    /// A kill between putting the gateway on a new bridge and pinning its MAC leaves exactly this bridge (so does
    /// an admin who pre-creates it). The plugin pins the MAC only when its own ADD added the gateway, so no later
    /// ADD ever pins it, and the bridge MAC follows the lowest port MAC as pods come and go, staling every pod's
    /// ARP entry for the gateway.
    /// </summary>
    [RootFact]
    public void BridgeLeftWithItsGatewayButAnUnpinnedMac_IsPinnedByTheNextAdd()
    {
        CniPluginRunner.RequireBinary();
        using var net = new TestNetwork();
        string config = net.Config();
        Shell.Ip("link", "add", net.Bridge, "type", "bridge");
        Shell.Ip("addr", "add", $"{net.Gateway4}/24", "dev", net.Bridge);
        Shell.Ip("link", "set", net.Bridge, "up");
        using var first = new StressPod("stp");
        using var second = new StressPod("stp");
        try
        {
            Assert.True(first.Add(config).ExitCode == 0);
            string pinned = Shell.IpJson("link", "show", net.Bridge)[0].GetProperty("address").GetString()!;
            Assert.True(second.Add(config).ExitCode == 0);
            Assert.True(first.Del(config).ExitCode == 0);

            // NET_ADDR_SET (3): set explicitly, so the bridge no longer takes its ports' addresses.
            Assert.Equal("3", File.ReadAllText($"/sys/class/net/{net.Bridge}/addr_assign_type").Trim());
            Assert.Equal(pinned, Shell.IpJson("link", "show", net.Bridge)[0].GetProperty("address").GetString());
        }
        finally
        {
            first.Del(config);
            second.Del(config);
        }
    }
}
