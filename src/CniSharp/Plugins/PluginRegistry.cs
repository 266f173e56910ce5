using CniSharp.Cni;

namespace CniSharp.Plugins;

/// <summary>
/// The plugin types this binary serves and the rule that picks one per invocation. One binary serves several
/// types through symlinks in the bin dir (cnisharp-bridge -&gt; cnisharp), so the entry-point name wins when it is
/// a registered type: a runtime or a parent plugin that execs "cnisharp-host-local" passes the parent's config,
/// whose "type" names the parent. Otherwise the config's "type" decides.
/// </summary>
internal sealed class PluginRegistry
{
    private readonly Dictionary<string, IPlugin> _byType = new(StringComparer.Ordinal);
    private readonly List<IPlugin> _plugins = [];

    public PluginRegistry(IEnumerable<IPlugin> plugins)
    {
        foreach (IPlugin plugin in plugins)
        {
            if (!_byType.TryAdd(plugin.Type, plugin))
                throw new ArgumentException($"plugin type \"{plugin.Type}\" is registered twice", nameof(plugins));
            _plugins.Add(plugin);
        }
    }

    public IReadOnlyList<IPlugin> Plugins => _plugins;

    /// <summary>The served types in registration order, for messages and --help.</summary>
    public IEnumerable<string> Types => _plugins.Select(p => p.Type);

    public IPlugin? Find(string? type) =>
        type is not null && _byType.TryGetValue(type, out IPlugin? plugin) ? plugin : null;

    /// <summary>
    /// The entry-point name (basename of argv[0]) if it is a served type, else the config's type. An unknown type
    /// is an invalid configuration (code 7): this binary was exec'd for a type it does not implement.
    /// </summary>
    public IPlugin Select(string? entryName, string configType)
    {
        if (Find(entryName) is { } byEntry) return byEntry;
        if (Find(configType) is { } byConfig) return byConfig;
        string served = _plugins.Count == 0 ? "(none)" : string.Join(", ", Types);
        throw new CniException(CniErrorCode.InvalidNetworkConfig,
            $"unknown plugin type \"{configType}\": this binary serves {served}");
    }
}
