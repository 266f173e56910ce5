namespace CniSharp.Plugins;

/// <summary>The plugins compiled into this binary; the composition root builds the registry from this list.</summary>
internal static class PluginCatalog
{
    // The bridge, host-local and loopback plugins are registered here when they are integrated.
    public static IReadOnlyList<IPlugin> Create() => [];
}
