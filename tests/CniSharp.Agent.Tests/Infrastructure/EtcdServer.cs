using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CniSharp.Agent.Tests.Infrastructure;

/// <summary>
/// A private etcd (Debian etcd-server) for one test class: loopback only, free ports, a temp data dir;
/// started here and stopped by its PID on dispose. Tests skip when etcd is not installed.
/// </summary>
public sealed class EtcdServer : IDisposable
{
    private readonly Process? _process;
    private readonly string _dataDir = Directory.CreateTempSubdirectory("cnisharp-agent-etcd-").FullName;

    public EtcdServer()
    {
        string? etcd = Binary;
        if (etcd is null) return;
        int client = FreePort(), peer = FreePort();
        Endpoint = $"http://127.0.0.1:{client}";
        var start = new ProcessStartInfo(etcd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--name", "test", "--data-dir", _dataDir, "--unsafe-no-fsync",
            "--listen-client-urls", Endpoint, "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"test=http://127.0.0.1:{peer}",
        })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilServing(client);
    }

    /// <summary>The etcd executable, or null when it is not installed (tests using it skip: <see cref="EtcdFactAttribute"/>).</summary>
    public static string? Binary { get; } = new[] { "/usr/bin/etcd", "/usr/local/bin/etcd" }.FirstOrDefault(File.Exists);

    public string Endpoint { get; } = "";

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilServing(int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
                if (probe.GetAsync($"http://127.0.0.1:{port}/health").Result.IsSuccessStatusCode) return;
            }
            catch (AggregateException)
            {
                // Not listening yet.
            }
            if (_process!.HasExited) throw new InvalidOperationException($"etcd exited with {_process.ExitCode}");
            Thread.Sleep(100);
        }
        throw new TimeoutException("etcd did not become healthy within 15 s");
    }
}
