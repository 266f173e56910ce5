using CniSharp.Interop;

namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>
/// Needs root and the reference plugins (Debian's containernetworking-plugins in /usr/lib/cni, which
/// scripts/install-deps.sh installs); skipped with the reason otherwise.
/// </summary>
public sealed class ReferencePluginFactAttribute : FactAttribute
{
    public const string Dir = "/usr/lib/cni";

    public ReferencePluginFactAttribute()
    {
        if (LibC.geteuid() != 0)
            Skip = "needs root: creates network namespaces and links";
        else if (!File.Exists(Path.Combine(Dir, "host-local")))
            Skip = $"reference plugins not installed in {Dir} (apt-get install containernetworking-plugins)";
    }
}
