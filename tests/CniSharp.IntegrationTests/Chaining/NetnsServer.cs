using System.Diagnostics;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>A python3 server started inside a test namespace, returned once it printed "listening".</summary>
internal static class NetnsServer
{
    public static Process Start(string netns, string script, params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["netns", "exec", netns, "python3", "-c", script, .. args])
            psi.ArgumentList.Add(a);
        Process server = Process.Start(psi)!;
        // The first line means bind (and listen) succeeded, so a client cannot race the server.
        Task<string?> ready = server.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(10)) || ready.Result != "listening")
            throw new InvalidOperationException($"server in {netns} did not start: {server.StandardError.ReadToEnd()}");
        return server;
    }

    /// <summary>Kills the server process this test started.</summary>
    public static void Stop(Process server)
    {
        try { server.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        server.WaitForExit(5000);
        server.Dispose();
    }
}
