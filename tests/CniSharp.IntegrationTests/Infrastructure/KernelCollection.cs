namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>Root tests that drive the real binary share one serial collection: they flip host sysctls and create bridges.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}
