using System.Net;

namespace CniSharp.Agent.Cli;

/// <summary>--health-addr HOST:PORT ("127.0.0.1:9099", "[::1]:9099", ":9099" for every address).</summary>
internal static class HealthAddress
{
    public static bool TryParse(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        int colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), out port) || port is <= 0 or > 65535) return false;
        host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        return host.Length == 0 || host == "localhost" || IPAddress.TryParse(host, out _);
    }
}
