using System.Diagnostics;
using System.Runtime.ExceptionServices;
using CniSharp.Interop;

namespace CniSharp.IntegrationTests.Netlink;

/// <summary>
/// Runs a scenario on a dedicated thread that first unshares its network namespace: the namespace is private
/// to that thread and vanishes with it, so nothing a test creates can leak into the host.
/// </summary>
internal static class PrivateNetns
{
    public static void Run(Action scenario)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                LibC.Check(LibC.unshare(LibC.CLONE_NEWNET), "unshare", "CLONE_NEWNET");
                scenario();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
    }

    /// <summary>
    /// Runs ip(8) to set up or check state independently of the code under test. Process.Start forks from the
    /// calling thread, so the child sees that thread's namespace.
    /// </summary>
    public static string RunIp(string arguments) => RunTool("ip", arguments);

    /// <summary>Runs nft(8) the same way.</summary>
    public static string RunNft(string arguments) => RunTool("nft", arguments);

    /// <summary>Runs bridge(8) the same way.</summary>
    public static string RunBridge(string arguments) => RunTool("bridge", arguments);

    private static string RunTool(string program, string arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {error}");
        return output;
    }

    /// <summary>A unique, short link name (IFNAMSIZ allows 15 characters).</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..(15 - prefix.Length)];
}
