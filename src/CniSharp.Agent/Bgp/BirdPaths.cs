namespace CniSharp.Agent.Bgp;

/// <summary>
/// Where this node's BIRD keeps its files: all under the agent's --state-dir, so several agents (or the e2e
/// suite's several nodes) never share a socket, and the system's own BIRD (/run/bird/bird.ctl) is never touched.
/// </summary>
internal sealed record BirdPaths(string StateDir)
{
    public string Config => Path.Combine(StateDir, "bird.conf");

    /// <summary>The candidate configuration: checked with bird -p, then renamed over <see cref="Config"/>.</summary>
    public string CandidateConfig => Path.Combine(StateDir, "bird.conf.new");

    public string ControlSocket => Path.Combine(StateDir, "bird.ctl");

    public string PidFile => Path.Combine(StateDir, "bird.pid");

    public string Log => Path.Combine(StateDir, "bird.log");
}
