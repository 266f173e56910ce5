using System.Diagnostics;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// A one-shot TCP server inside a test namespace (python3) that answers each connection with a token, and the
/// client that fetches it from another test namespace. Dispose kills the server process this test started.
/// </summary>
internal sealed class TcpProbe : IDisposable
{
    // argv[3] "6": one socket for both families (IPv4 peers then read ::ffff:a.b.c.d, printed as a.b.c.d).
    private const string ServerScript = """
        import socket, sys
        six = len(sys.argv) > 3
        s = socket.socket(socket.AF_INET6 if six else socket.AF_INET); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if six: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::" if six else "0.0.0.0", int(sys.argv[1]))); s.listen(4)
        print("listening", flush=True)
        while True:
            c, peer = s.accept(); c.sendall((sys.argv[2] + " " + peer[0].removeprefix("::ffff:")).encode()); c.close()
        """;

    private const string ClientScript = """
        import socket, sys
        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
        print(c.recv(200).decode(), end="")
        """;

    private readonly Process _server;

    public TcpProbe(string netns, int port, bool dualStack = false)
    {
        Token = "cnisharp-" + Unique.Hex(8);
        _server = dualStack
            ? NetnsServer.Start(netns, ServerScript, port.ToString(), Token, "6")
            : NetnsServer.Start(netns, ServerScript, port.ToString(), Token);
    }

    public string Token { get; }

    /// <summary>What the server said to a client in <paramref name="netns"/> connecting to host:port; null if refused or timed out.</summary>
    public static string? Fetch(string netns, string host, int port)
    {
        Shell.Output o = Shell.Run("ip", ["netns", "exec", netns, "python3", "-c", ClientScript, host, port.ToString()],
            timeout: TimeSpan.FromSeconds(15));
        return o.ExitCode == 0 ? o.Stdout : null;
    }

    /// <summary>The same from the host's own namespace (e.g. to localhost).</summary>
    public static string? FetchFromHost(string host, int port)
    {
        Shell.Output o = Shell.Run("python3", ["-c", ClientScript, host, port.ToString()], timeout: TimeSpan.FromSeconds(15));
        return o.ExitCode == 0 ? o.Stdout : null;
    }

    public void Dispose() => NetnsServer.Stop(_server);
}
