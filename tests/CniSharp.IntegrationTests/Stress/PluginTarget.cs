using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// The plugin a stress run drives and what plays the host: cnisharp-bridge on the machine itself, or cnisharp-ptp
/// inside a node namespace the test made (its host veths and routes stay there).
/// </summary>
internal sealed record PluginTarget(string Plugin, string? NodeNetns)
{
    public static readonly PluginTarget Bridge = new("cnisharp-bridge", null);

    public static PluginTarget Ptp(NodeNamespace node) => new("cnisharp-ptp", node.Name);

    /// <summary>Routed pods have no bridge: the audit checks host routes instead of bridge ports.</summary>
    public bool IsRouted => Plugin != Bridge.Plugin;

    /// <summary>The network's configuration for this plugin.</summary>
    public string Config(TestNetwork net) => IsRouted ? net.PtpConfig() : net.Config();

    /// <summary>The command line that runs the plugin where it plays the host.</summary>
    public string[] Argv => CniPluginRunner.Argv(Plugin, NodeNetns);

    public CniPluginRunner.Invocation Run(string command, string config, string containerId = "", string? netns = null, string ifName = "") =>
        CniPluginRunner.Run(Plugin, command, config, containerId, netns, ifName, hostNetns: NodeNetns);

    public override string ToString() => NodeNetns is null ? Plugin : $"{Plugin} in {NodeNetns}";
}
