using System.Diagnostics;
using System.Text.Json;

namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>Runs a command and captures its output. Tests use `ip` to build and to inspect, never the plugin.</summary>
public static class Shell
{
    public sealed record Output(int ExitCode, string Stdout, string Stderr);

    public static Output Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdin = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return new Output(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>`ip ARGS`, failing the test when ip fails.</summary>
    public static string Ip(params string[] args)
    {
        Output o = Run("ip", args);
        if (o.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {o.Stderr}");
        return o.Stdout;
    }

    /// <summary>`ip -j ARGS` parsed; an empty answer is an empty array.</summary>
    public static JsonElement IpJson(params string[] args)
    {
        string text = Ip(["-j", .. args]);
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "[]" : text).RootElement.Clone();
    }

    public static bool LinkExists(string name, string? netns = null)
    {
        string[] args = netns is null ? ["link", "show", name] : ["-n", netns, "link", "show", name];
        return Run("ip", args).ExitCode == 0;
    }

    /// <summary>Addresses ("10.1.2.3/24") on a link.</summary>
    public static List<string> Addresses(string link, string? netns = null)
    {
        string[] args = netns is null ? ["addr", "show", "dev", link] : ["-n", netns, "addr", "show", "dev", link];
        var list = new List<string>();
        foreach (JsonElement l in IpJson(args).EnumerateArray())
            foreach (JsonElement a in l.GetProperty("addr_info").EnumerateArray())
                list.Add($"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}");
        return list;
    }

    /// <summary>One ping between two namespaces this test created; true when answered.</summary>
    public static bool Ping(string fromNetns, string address)
    {
        string[] args = address.Contains(':')
            ? ["netns", "exec", fromNetns, "ping", "-6", "-c", "1", "-W", "2", address]
            : ["netns", "exec", fromNetns, "ping", "-c", "1", "-W", "2", address];
        return Run("ip", args).ExitCode == 0;
    }
}
