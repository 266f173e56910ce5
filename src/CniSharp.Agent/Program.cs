using CniSharp.Agent.Cli;

namespace CniSharp.Agent;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        AgentCommand command;
        try
        {
            command = AgentCommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"cnisharp-agent: {e.Message}");
            return 2;
        }
        switch (command)
        {
            case AgentCommand.Help:
                Console.Out.Write(Usage.Text);
                return 0;
            case AgentCommand.Version:
                Console.Out.WriteLine($"cnisharp-agent {typeof(Program).Assembly.GetName().Version?.ToString(3)}");
                return 0;
            case AgentCommand.Status status:
                return StatusCommand.Run(status);
            case AgentCommand.Leave leave:
                return await LeaveCommand.RunAsync(leave);
            case AgentCommand.Run run:
                return await AgentRunner.RunAsync(run.Options);
            default:
                throw new InvalidOperationException($"unhandled command {command}");
        }
    }
}
