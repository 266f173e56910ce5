using System.Collections.Concurrent;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// Runs work items on a fixed number of dedicated threads. Not Parallel.ForEach: every item blocks on a child
/// process, and the thread pool would add threads slowly and never reach the requested parallelism.
/// </summary>
internal static class ParallelWork
{
    /// <summary>Runs action on every item, `parallel` at a time; returns the failures (item and exception).</summary>
    public static List<(T Item, Exception Error)> ForEach<T>(IReadOnlyList<T> items, int parallel, Action<T> action)
    {
        var failures = new ConcurrentBag<(T, Exception)>();
        int next = -1;
        var threads = new Thread[Math.Max(1, Math.Min(parallel, items.Count))];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(() =>
            {
                for (int i = Interlocked.Increment(ref next); i < items.Count; i = Interlocked.Increment(ref next))
                {
                    try
                    {
                        action(items[i]);
                    }
                    catch (Exception ex)
                    {
                        failures.Add((items[i], ex));
                    }
                }
            }) { IsBackground = true };
            threads[t].Start();
        }
        foreach (Thread thread in threads) thread.Join();
        return [.. failures];
    }

    /// <summary>Runs every item and throws one exception describing the first failures, if any.</summary>
    public static void ForEachOrThrow<T>(IReadOnlyList<T> items, int parallel, Action<T> action, string what)
    {
        List<(T Item, Exception Error)> failures = ForEach(items, parallel, action);
        if (failures.Count > 0)
            throw new InvalidOperationException(
                $"{what}: {failures.Count} of {items.Count} failed; first: " +
                string.Join(" | ", failures.Take(3).Select(f => $"{f.Item}: {f.Error.Message}")));
    }
}
