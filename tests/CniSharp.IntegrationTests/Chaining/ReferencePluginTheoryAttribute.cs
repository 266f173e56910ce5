using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>The theory form of <see cref="ReferencePluginFactAttribute"/>: root plus the reference plugins.</summary>
public sealed class ReferencePluginTheoryAttribute : TheoryAttribute
{
    public ReferencePluginTheoryAttribute()
    {
        string? skip = new ReferencePluginFactAttribute().Skip;
        if (skip is not null) Skip = skip;
    }
}
