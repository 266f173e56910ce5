using System.Net;
using k8s.Autorest;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>How the store reads a failed API call: which failures a retry can cure, and what to tell the operator.</summary>
internal static class ApiErrors
{
    /// <summary>The HTTP status the API server answered with, or null when it was not reached.</summary>
    public static HttpStatusCode? StatusOf(Exception e) => e is HttpOperationException { Response: { } response } ? response.StatusCode : null;

    public static bool IsNotFound(Exception e) => StatusOf(e) == HttpStatusCode.NotFound;

    /// <summary>410 Gone: the resourceVersion a watch resumed from was compacted away; list again.</summary>
    public static bool IsGone(Exception e) => StatusOf(e) == HttpStatusCode.Gone;

    /// <summary>
    /// Credentials or RBAC refused: waiting does not help, the operator must act (a crash-looping pod with this
    /// message is more useful than an agent that retries quietly).
    /// </summary>
    public static bool IsPermanent(Exception e) => StatusOf(e) is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>A failure worth retrying: the server unreachable, overloaded or failing, the connection cut.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpOperationException => !IsPermanent(e) && !IsNotFound(e),
        HttpRequestException or IOException => true,
        // HttpClient's own timeout, or a watch whose connection went silent, not the caller's cancellation.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        System.Text.Json.JsonException => true,
        _ => false,
    };

    /// <summary>One line for logs and errors, with the API server's own message when it sent one.</summary>
    public static string Describe(Exception e)
    {
        if (e is HttpOperationException { Response: { } response })
        {
            string body = response.Content ?? "";
            string detail = TryStatusMessage(body) ?? (body.Length > 200 ? body[..200] : body);
            string hint = response.StatusCode switch
            {
                HttpStatusCode.Forbidden => " (the agent's account needs nodes get/list/watch/patch and nodes/status patch: conf/kind/cnisharp.yaml)",
                HttpStatusCode.Unauthorized => " (the credentials were not accepted: check the kubeconfig or the service-account token)",
                _ => "",
            };
            return $"API server answered {(int)response.StatusCode} {response.StatusCode}: {detail}{hint}";
        }
        // HttpRequestException often repeats its inner SocketException's text: say it once.
        return e is HttpRequestException && e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
    }

    /// <summary>Wraps a permanent failure (or any unexpected one) for the caller.</summary>
    public static SubnetStoreException Fail(string what, Exception e) => new($"{what}: {Describe(e)}", e);

    private static string? TryStatusMessage(string body)
    {
        if (body.Length == 0 || body[0] != '{') return null;
        try
        {
            return k8s.KubernetesJson.Deserialize<k8s.Models.V1Status>(body)?.Message;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
