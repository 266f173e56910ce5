namespace CniSharp.Agent.Cli;

/// <summary>What one invocation of cnisharp-agent asks for.</summary>
internal abstract record AgentCommand
{
    private AgentCommand() { }

    /// <summary>Run the agent until SIGTERM/SIGINT.</summary>
    public sealed record Run(AgentOptions Options) : AgentCommand;

    /// <summary>
    /// <c>leave</c>: orderly removal of a node from the datastore; with <paramref name="StateDir"/>, a BIRD kept
    /// running there (--bird-keep-on-exit) is stopped too.
    /// </summary>
    public sealed record Leave(string NodeName, DatastoreOptions Datastore, string? StateDir = null) : AgentCommand;

    /// <summary><c>status</c>: this node's BGP peers and their states, from its BIRD (calicoctl node status).</summary>
    public sealed record Status(string StateDir, string BirdcBin) : AgentCommand;

    public sealed record Help : AgentCommand;

    public sealed record Version : AgentCommand;
}
