namespace CniSharp.Agent.Cli;

/// <summary><c>cnisharp-agent status [--state-dir DIR] [--birdc-bin PATH]</c>.</summary>
internal static class StatusCommandLine
{
    private static readonly string[] Flags = ["state-dir", "birdc-bin", "help"];

    public static AgentCommand Parse(IReadOnlyList<string> args)
    {
        Dictionary<string, string> flags = AgentCommandLine.ReadFlags(args);
        if (flags.ContainsKey("help")) return new AgentCommand.Help();
        AgentCommandLine.RejectUnknown(flags, Flags);
        return new AgentCommand.Status(
            Path.GetFullPath(flags.GetValueOrDefault("state-dir", "/run/cnisharp-agent")),
            flags.GetValueOrDefault("birdc-bin", "birdc"));
    }
}
