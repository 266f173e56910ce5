namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// The stress tests run alone: they saturate both cores on purpose, and timing-sensitive root tests (or their
/// own kill delays) would measure the contention instead of the plugin.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressCollection
{
    public const string Name = "stress";
}
