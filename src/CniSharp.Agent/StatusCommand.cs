using CniSharp.Agent.Bgp;
using CniSharp.Agent.Cli;

namespace CniSharp.Agent;

/// <summary>
/// <c>cnisharp-agent status</c>: this node's BGP peers and their states, read from its BIRD (the one serving
/// --state-dir's control socket), whether or not the agent runs. Exit 0 when BIRD answers, 1 when it does not.
/// </summary>
internal static class StatusCommand
{
    public static int Run(AgentCommand.Status command)
    {
        var paths = new BirdPaths(command.StateDir);
        string? birdc = ExternalCommand.Resolve(command.BirdcBin);
        if (birdc is null)
        {
            Console.Error.WriteLine($"cnisharp-agent status: birdc not found ({command.BirdcBin}); install bird2 or give --birdc-bin");
            return 1;
        }
        using BirdProcess? bird = BirdProcess.FindRunning(paths);
        if (bird is null)
        {
            Console.Out.WriteLine($"BIRD is not running (no BIRD serves {paths.ControlSocket}).");
            return 1;
        }
        IReadOnlyList<BirdProtocol>? protocols = new Birdc(birdc, paths.ControlSocket).ShowProtocols();
        if (protocols is null)
        {
            Console.Out.WriteLine($"BIRD (pid {bird.Pid}) does not answer on {paths.ControlSocket}.");
            return 1;
        }
        Console.Out.WriteLine($"BIRD is running (pid {bird.Pid}, control socket {paths.ControlSocket}).");
        Console.Out.WriteLine();
        Console.Out.Write(StatusTable.Render(BgpSessionStatus.From(protocols)));
        return 0;
    }
}
