using CniSharp.Agent.Bgp;

namespace CniSharp.Agent.Tests.Infrastructure;

/// <summary>A fact that needs BIRD's parser (Debian bird2); skipped with the reason where it is missing.</summary>
public sealed class BirdFactAttribute : FactAttribute
{
    public BirdFactAttribute()
    {
        if (ExternalCommand.Resolve("bird") is null)
            Skip = "bird is not installed (scripts/install-deps.sh installs bird2)";
    }
}
