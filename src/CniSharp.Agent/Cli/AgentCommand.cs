namespace CniSharp.Agent.Cli;

/// <summary>What one invocation of cnisharp-agent asks for.</summary>
internal abstract record AgentCommand
{
    private AgentCommand() { }

    /// <summary>Run the agent until SIGTERM/SIGINT.</summary>
    public sealed record Run(AgentOptions Options) : AgentCommand;

    /// <summary><c>leave</c>: orderly removal of a node from the datastore.</summary>
    public sealed record Leave(string NodeName, DatastoreOptions Datastore) : AgentCommand;

    public sealed record Help : AgentCommand;

    public sealed record Version : AgentCommand;
}
