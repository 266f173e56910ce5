namespace CniSharp.Agent.Cli;

/// <summary>The main plugin of the conflist the agent writes (<c>--plugin</c>).</summary>
internal enum ConflistPlugin
{
    /// <summary>cnisharp-ptp: routed pods, no bridge (the default).</summary>
    Ptp,

    /// <summary>cnisharp-bridge: pods on a node-local bridge.</summary>
    Bridge,
}
