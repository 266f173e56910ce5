using System.Collections.Concurrent;
using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>
/// Runtimes set up and tear down pods in parallel (containerd does not serialise CNI calls across pods): ADDs racing
/// each other and DELs of other pods on one bridge and one IPAM store must all succeed without handing an address
/// out twice, and leave exactly the live pods behind.
/// </summary>
public class ConcurrentAddDelTests
{
    private const int Arriving = 16;
    private const int Leaving = 8;

    [RootFact]
    public void SixteenAdds_RacingEightDels_AllSucceed_NoAddressTwice_AndAllCleanUp()
    {
        CniPluginRunner.RequireBinary();
        using var sandbox = new HostileSandbox();
        byte[] config = HostileSandbox.Bytes(sandbox.Config());
        Pod[] leaving = [.. Enumerable.Range(0, Leaving).Select(_ => new Pod(Unique.ContainerId(), sandbox.NewNamespace("hleave")))];
        Pod[] arriving = [.. Enumerable.Range(0, Arriving).Select(_ => new Pod(Unique.ContainerId(), sandbox.NewNamespace("harrive")))];
        foreach (Pod pod in leaving)
            AssertSucceeded(sandbox.Run(config, sandbox.Env("ADD", pod.Id, pod.Netns.Path)), $"setup ADD {pod.Id}");

        // All at once: the arrivals' ADDs and the departures' DELs start together.
        var results = new ConcurrentDictionary<string, PluginRun>();
        var jobs = arriving.Select(p => ("ADD", p)).Concat(leaving.Select(p => ("DEL", p))).ToArray();
        using (var start = new Barrier(jobs.Length))
        {
            // Own threads, not the pool: the pool would start them a few at a time and the barrier would wait for that.
            Thread[] threads = [.. jobs.Select(job => new Thread(() =>
            {
                start.SignalAndWait();
                string key = $"{job.Item1} {job.Item2.Id}";
                try
                {
                    results[key] = sandbox.Run(config, sandbox.Env(job.Item1, job.Item2.Id, job.Item2.Netns.Path));
                }
                catch (Exception e)
                {
                    // An exception escaping a thread would end the test host; report it as this job's failure.
                    results[key] = new PluginRun(-1, "", e.ToString(), false, 0);
                }
            }))];
            foreach (Thread t in threads) t.Start();
            foreach (Thread t in threads) t.Join();
        }
        Assert.Equal(jobs.Length, results.Count);
        foreach (var (what, run) in results) AssertSucceeded(run, what);

        var addresses = arriving.ToDictionary(p => p.Id, p => AddressOf(results[$"ADD {p.Id}"]));
        string[] live = [sandbox.ResidentAddress, .. addresses.Values];
        Assert.True(live.Distinct().Count() == live.Length, "an address was handed out twice: " + string.Join(", ", live.Order()));
        foreach (Pod pod in arriving)
            Assert.Equal([addresses[pod.Id]], Shell.Addresses("eth0", pod.Netns.Name).Where(a => !a.StartsWith("fe80:")));
        foreach (Pod pod in leaving)
            Assert.False(Shell.LinkExists("eth0", pod.Netns.Name), $"departed pod {pod.Id} still has eth0");

        // The store holds exactly the live pods, each under its owner.
        var owners = Reservations(sandbox);
        Assert.Equal(live.Select(a => a.Split('/')[0]).Order(), owners.Keys.Order());
        foreach (Pod pod in arriving)
            Assert.Equal($"{pod.Id}\r\neth0", owners[addresses[pod.Id].Split('/')[0]]);
        Assert.Equal(1 + Arriving, HostVeths(sandbox).Count);

        Parallel.ForEach(arriving, new ParallelOptions { MaxDegreeOfParallelism = Arriving }, pod =>
            AssertSucceeded(sandbox.Run(config, sandbox.Env("DEL", pod.Id, pod.Netns.Path)), $"DEL {pod.Id}"));

        Assert.Equal([sandbox.ResidentAddress.Split('/')[0]], Reservations(sandbox).Keys);
        Assert.Single(HostVeths(sandbox));
        foreach (Pod pod in arriving)
            Assert.False(Shell.LinkExists("eth0", pod.Netns.Name), $"deleted pod {pod.Id} still has eth0");
    }

    private sealed record Pod(string Id, TestNamespace Netns);

    private static void AssertSucceeded(PluginRun run, string what)
    {
        Assert.True(CniErrorAssert.CommonProblem(run) is null && run.ExitCode == 0, $"{what}: {CniErrorAssert.CommonProblem(run)} {run}");
    }

    private static string AddressOf(PluginRun add) =>
        JsonDocument.Parse(add.Stdout).RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!;

    /// <summary>Reservation files (named like addresses) and their owner lines.</summary>
    private static Dictionary<string, string> Reservations(HostileSandbox sandbox) =>
        Directory.GetFiles(Path.Combine(sandbox.DataDir, sandbox.Network))
            .Where(f => System.Net.IPAddress.TryParse(Path.GetFileName(f), out _))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    private static List<string> HostVeths(HostileSandbox sandbox) =>
        [.. Shell.IpJson("-n", sandbox.Host.Name, "link", "show", "type", "veth").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!)];
}
