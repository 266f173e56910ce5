using System.Diagnostics;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// A UDP server inside a test namespace (python3) that answers every datagram with a token, and a client that
/// sends from a fixed source port, so its datagrams belong to one conntrack flow however often it runs.
/// Dispose kills the server process this test started.
/// </summary>
internal sealed class UdpProbe : IDisposable
{
    private const string ServerScript = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", int(sys.argv[1])))
        print("listening", flush=True)
        while True:
            data, peer = s.recvfrom(100); s.sendto(sys.argv[2].encode(), peer)
        """;

    private const string ClientScript = """
        import socket, sys
        c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind(("0.0.0.0", int(sys.argv[3]))); c.settimeout(float(sys.argv[4]))
        c.sendto(b"ping", (sys.argv[1], int(sys.argv[2])))
        print(c.recvfrom(100)[0].decode(), end="")
        """;

    private readonly Process _server;

    public UdpProbe(string netns, int port)
    {
        Token = "cnisharp-udp-" + Unique.Hex(8);
        _server = NetnsServer.Start(netns, ServerScript, port.ToString(), Token);
    }

    public string Token { get; }

    /// <summary>One datagram from <paramref name="netns"/>, source port <paramref name="sourcePort"/>; the answer, or null.</summary>
    public static string? Ask(string netns, string host, int port, int sourcePort, double timeoutSeconds = 2)
    {
        Shell.Output o = Shell.Run("ip", ["netns", "exec", netns, "python3", "-c", ClientScript, host, port.ToString(),
            sourcePort.ToString(), timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(15));
        return o.ExitCode == 0 ? o.Stdout : null;
    }

    public void Dispose() => NetnsServer.Stop(_server);
}
