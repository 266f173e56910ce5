using CniSharp.Interop;

namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>A fact that needs root (namespaces, links, a shared IPAM dir); skipped with the reason otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (LibC.geteuid() != 0)
            Skip = "needs root: creates network namespaces and links";
    }
}

/// <summary>The theory form of <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (LibC.geteuid() != 0)
            Skip = "needs root: creates network namespaces and links";
    }
}
