using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// One runtime's view in the soak: its own pods, its own seeded random sequence of verbs. Workers run side by
/// side; each worker's sequence repeats with the seed, the interleaving between workers does not.
/// </summary>
internal sealed class SoakWorker(int index, int seed, IReadOnlyList<StressPod> pods, string config, AddressLedger ledger)
{
    private readonly Random _random = new(HashCode.Combine(seed, index));
    private readonly Queue<string> _recent = new();

    public int Adds { get; private set; }
    public int Dels { get; private set; }
    public int Checks { get; private set; }
    public int RepeatedAdds { get; private set; }
    public int IdleDels { get; private set; }

    public override string ToString() => $"soak worker {index}";

    public void Run(int operations)
    {
        for (int i = 0; i < operations; i++)
        {
            StressPod pod = pods[_random.Next(pods.Count)];
            int roll = _random.Next(100);
            try
            {
                if (pod.IsAttached) OnAttached(pod, roll);
                else OnDetached(pod, roll);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    $"{this} (seed {seed}): {ex.Message}\n  its last operations: {string.Join("; ", _recent)}", ex);
            }
        }
    }

    private void OnAttached(StressPod pod, int roll)
    {
        if (roll < 40)
        {
            Note("CHECK", pod);
            Expect(pod.Check(config), "CHECK", pod);
            Checks++;
        }
        else if (roll < 85)
        {
            bool emptyNetns = roll % 2 == 0;
            Note(emptyNetns ? "DEL (CNI_NETNS empty)" : "DEL", pod);
            ledger.Released(pod.Address!, pod.ContainerId);
            Expect(pod.Del(config, emptyNetns), "DEL", pod);
            Dels++;
        }
        else
        {
            // A runtime must not do this; the plugin must refuse it without harming the attached pod.
            Note("ADD again", pod);
            var again = pod.Target.Run("ADD", config, pod.ContainerId, pod.NetnsPath, StressPod.IfName);
            if (again.ExitCode == 0)
                throw new InvalidOperationException($"a second ADD of attached {pod} succeeded: {again.Stdout}");
            RepeatedAdds++;
        }
    }

    private void OnDetached(StressPod pod, int roll)
    {
        if (roll < 85)
        {
            pod.NewSandbox();
            Note("ADD", pod);
            Expect(pod.Add(config), "ADD", pod);
            ledger.Claimed(pod);
            Adds++;
        }
        else
        {
            // DEL of a sandbox that was already deleted (or never added) must succeed and change nothing.
            Note("DEL of a detached sandbox", pod);
            Expect(pod.Del(config), "DEL", pod);
            IdleDels++;
        }
    }

    private void Note(string verb, StressPod pod)
    {
        _recent.Enqueue($"{verb} {pod.ContainerId}");
        if (_recent.Count > 6) _recent.Dequeue();
    }

    private static void Expect(CniPluginRunner.Invocation run, string verb, StressPod pod)
    {
        if (run.ExitCode != 0) throw new InvalidOperationException($"{verb} of {pod}: {run}");
    }
}
