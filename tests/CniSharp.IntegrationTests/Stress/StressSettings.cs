using System.Globalization;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// Sizes of the stress runs. The defaults fit CI (all three tests well under two minutes on two cores);
/// scripts/stress.sh raises them through the same variables.
/// </summary>
internal static class StressSettings
{
    /// <summary>Pods in the burst; above 250 the burst network grows beyond a /24.</summary>
    public static int BurstPods => Read("CNISHARP_STRESS_PODS", 200, min: 1, max: 60_000);

    /// <summary>Plugin processes running at once in the burst.</summary>
    public static int BurstParallel => Read("CNISHARP_STRESS_PARALLEL", 32, min: 1, max: 512);

    /// <summary>Operations in the soak (ADD, DEL, CHECK, repeated ADD).</summary>
    public static int SoakOps => Read("CNISHARP_SOAK_OPS", 400, min: 1, max: 10_000_000);

    /// <summary>Pod slots the soak cycles through.</summary>
    public static int SoakPods => Read("CNISHARP_SOAK_PODS", 16, min: 1, max: 250);

    /// <summary>Soak operations between two full invariant checks.</summary>
    public static int SoakCheckEvery => Read("CNISHARP_SOAK_CHECK_EVERY", 100, min: 1, max: 10_000_000);

    /// <summary>Killed ADDs in the crash-consistency test.</summary>
    public static int CrashIterations => Read("CNISHARP_CRASH_ITERATIONS", 60, min: 1, max: 1_000_000);

    /// <summary>A fixed seed reproduces a soak or crash run (printed by every run); random otherwise.</summary>
    public static int Seed() =>
        Environment.GetEnvironmentVariable("CNISHARP_STRESS_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next();

    private static int Read(string name, int fallback, int min, int max)
    {
        string? text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            throw new ArgumentException($"{name}={text}: expected an integer in {min}..{max}");
        return value;
    }
}
