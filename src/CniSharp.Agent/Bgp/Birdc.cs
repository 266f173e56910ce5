namespace CniSharp.Agent.Bgp;

/// <summary>
/// BIRD's control socket, through BIRD's own client: <c>birdc -s SOCKET command</c>. Every call is a short
/// program run (a few ms); the agent makes one per reconcile pass at most, plus one per reload.
/// </summary>
internal sealed class Birdc(string birdcBin, string socket)
{
    public CommandResult Run(params string[] command) => ExternalCommand.Run(birdcBin, ["-s", socket, .. command]);

    /// <summary>
    /// <c>birdc configure</c>: BIRD re-reads its configuration file and restarts only what changed (a new peer
    /// starts, a changed filter re-evaluates the routes in place). Returns null when done, else BIRD's reason.
    /// </summary>
    public string? Configure()
    {
        CommandResult result = Run("configure");
        string text = Body(result.Output);
        bool done = text.Contains("Reconfigured", StringComparison.Ordinal) ||
                    text.Contains("Reconfiguration in progress", StringComparison.Ordinal) ||
                    text.Contains("queueing new config", StringComparison.Ordinal);
        return result.Succeeded && done ? null : (text.Length > 0 ? text : result.Text);
    }

    /// <summary><c>show protocols</c>, or null when BIRD does not answer.</summary>
    public IReadOnlyList<BirdProtocol>? ShowProtocols()
    {
        CommandResult result = Run("show", "protocols");
        return result.Succeeded && result.Output.Contains("Name", StringComparison.Ordinal)
            ? BirdProtocol.ParseTable(result.Output)
            : null;
    }

    /// <summary>
    /// <c>graceful restart</c>: BIRD exits without telling its peers, which keep its routes (stale) for the
    /// restart time, and leaves its kernel routes in place; the next BIRD (-R) picks both up without a gap.
    /// </summary>
    public bool GracefulRestart() => Run("graceful", "restart").Succeeded;

    /// <summary><c>down</c>: BIRD says goodbye to every peer (Cease), removes its kernel routes and exits.</summary>
    public bool Down() => Run("down").Succeeded;

    private static string Body(string output) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("BIRD ", StringComparison.Ordinal))).Trim();
}
