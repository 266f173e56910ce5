namespace CniSharp.Tests.Host;

/// <summary>Tests that run the host or attach log sinks share the process-wide Log, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LogCollection
{
    public const string Name = "Process-wide log";
}
