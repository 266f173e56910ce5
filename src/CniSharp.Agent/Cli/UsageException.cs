namespace CniSharp.Agent.Cli;

/// <summary>A command line the agent cannot act on: message to stderr, exit status 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
