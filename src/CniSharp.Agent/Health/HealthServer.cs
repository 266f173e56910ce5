using System.Net;
using CniSharp.Agent.Cli;
using Prometheus;
using Serilog;

namespace CniSharp.Agent.Health;

/// <summary>
/// /healthz (200 once synced and, for BGP, while BIRD runs; 503 otherwise; JSON body <see cref="HealthJson"/>) and /metrics (Prometheus text) on
/// --health-addr, served by HttpListener (in the runtime, native-AOT safe; no web framework for two URLs).
/// </summary>
internal sealed class HealthServer(string address, AgentStatusHolder status, AgentMetrics metrics, ILogger log) : IDisposable
{
    private readonly HttpListener _listener = new();

    public void Start(CancellationToken cancellationToken)
    {
        HealthAddress.TryParse(address, out string host, out int port);
        // HttpListener matches the Host header against the prefix: "+" accepts any (":PORT" and wildcard hosts).
        string prefixHost = host is "" or "0.0.0.0" or "::" ? "+" : host.Contains(':') ? $"[{host}]" : host;
        _listener.Prefixes.Add($"http://{prefixHost}:{port}/");
        _listener.Start();
        log.Information("Serving /healthz and /metrics on {Address}", address);
        _ = Task.Run(() => ServeAsync(cancellationToken), cancellationToken);
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration stop = cancellationToken.Register(StopListening);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                await RespondAsync(context, cancellationToken);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                log.Debug("Health request failed: {Reason}", e.Message);
            }
        }
    }

    private async Task RespondAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        HttpListenerResponse response = context.Response;
        switch (context.Request.Url?.AbsolutePath)
        {
            case "/healthz":
            case "/readyz":
                AgentStatus current = status.Current;
                response.StatusCode = current.Healthy ? 200 : 503;
                response.ContentType = "application/json";
                byte[] body = HealthJson.Render(current);
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body, cancellationToken);
                break;
            case "/metrics":
                response.StatusCode = 200;
                response.ContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;
                using (var buffer = new MemoryStream())
                {
                    await metrics.Registry.CollectAndExportAsTextAsync(buffer, cancellationToken);
                    response.ContentLength64 = buffer.Length;
                    buffer.Position = 0;
                    await buffer.CopyToAsync(response.OutputStream, cancellationToken);
                }
                break;
            default:
                response.StatusCode = 404;
                break;
        }
        response.Close();
    }

    private void StopListening()
    {
        try
        {
            _listener.Stop();
        }
        catch (Exception e) when (e is ObjectDisposedException or HttpListenerException or InvalidOperationException)
        {
            // Stopping races the process's own shutdown (SIGTERM during start-up): nothing is left to stop.
        }
    }

    public void Dispose() => _listener.Close();
}
