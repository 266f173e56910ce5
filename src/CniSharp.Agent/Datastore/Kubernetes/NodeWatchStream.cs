using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>One event of a Node watch: ADDED, MODIFIED, DELETED or BOOKMARK (only its resourceVersion counts).</summary>
internal readonly record struct NodeEvent(string Type, V1Node Node)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
}

/// <summary>The watch ended with an ERROR event (410 Gone: the resourceVersion is too old): list again.</summary>
internal sealed class WatchExpiredException(V1Status status)
    : Exception($"watch ended by the API server: {status.Code} {status.Reason}: {status.Message}");

/// <summary>
/// Reads a Node watch: one JSON watch event per line (the API server's chunked stream), deserialized with the
/// client library's models. Ends when the server ends the watch (its <c>timeoutSeconds</c>).
/// </summary>
internal static class NodeWatchStream
{
    public static async IAsyncEnumerable<NodeEvent> ReadAsync(StreamingKubernetes client, string resourceVersion,
        string? fieldSelector, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The server closes the watch after timeoutSeconds. A connection silent well past that is dead without
        // a reset having arrived (a cut cable, a rebooted server): give it up and let the caller list again.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout + TimeSpan.FromSeconds(30));
        HttpOperationResponse<V1NodeList> response = await client.CoreV1.ListNodeWithHttpMessagesAsync(
            allowWatchBookmarks: true, fieldSelector: fieldSelector, resourceVersion: resourceVersion,
            timeoutSeconds: (int)timeout.TotalSeconds, watch: true, cancellationToken: deadline.Token);
        using HttpResponseMessage http = response.Response;
        await using Stream body = await http.Content.ReadAsStreamAsync(deadline.Token);
        using var lines = new StreamReader(body);
        while (await lines.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Length == 0) continue;
            V1WatchEvent watchEvent = KubernetesJson.Deserialize<V1WatchEvent>(line);
            if (watchEvent.ObjectProperty is not JsonElement payload)
                throw new JsonException($"watch event {watchEvent.Type} without an object");
            if (watchEvent.Type == "ERROR") throw new WatchExpiredException(KubernetesJson.Deserialize<V1Status>(payload));
            yield return new NodeEvent(watchEvent.Type, KubernetesJson.Deserialize<V1Node>(payload));
        }
    }
}
