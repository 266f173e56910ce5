using System.Diagnostics;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// A one-shot TCP server inside a test namespace (python3) that answers each connection with a token, and the
/// client that fetches it from another test namespace. Dispose kills the server process this test started.
/// </summary>
internal sealed class TcpProbe : IDisposable
{
    private const string ServerScript = """
        import socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(4)
        print("listening", flush=True)
        while True:
            c, peer = s.accept(); c.sendall((sys.argv[2] + " " + peer[0]).encode()); c.close()
        """;

    private const string ClientScript = """
        import socket, sys
        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
        print(c.recv(200).decode(), end="")
        """;

    private readonly Process _server;

    public TcpProbe(string netns, int port)
    {
        Token = "cnisharp-" + Unique.Hex(8);
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["netns", "exec", netns, "python3", "-c", ServerScript, port.ToString(), Token])
            psi.ArgumentList.Add(a);
        _server = Process.Start(psi)!;
        // The first line means bind and listen succeeded, so a client cannot race the server.
        Task<string?> ready = _server.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(10)) || ready.Result != "listening")
            throw new InvalidOperationException($"TCP server in {netns} did not start: {_server.StandardError.ReadToEnd()}");
    }

    public string Token { get; }

    /// <summary>What the server said to a client in <paramref name="netns"/> connecting to host:port; null if refused or timed out.</summary>
    public static string? Fetch(string netns, string host, int port)
    {
        Shell.Output o = Shell.Run("ip", ["netns", "exec", netns, "python3", "-c", ClientScript, host, port.ToString()],
            timeout: TimeSpan.FromSeconds(15));
        return o.ExitCode == 0 ? o.Stdout : null;
    }

    public void Dispose()
    {
        try { _server.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _server.WaitForExit(5000);
        _server.Dispose();
    }
}
