using k8s;
using k8s.Autorest;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>
/// The KubernetesClient.Aot client, able to watch. The AOT package leaves out the full client's <c>Watcher</c>
/// (its list of features not yet AOT-ready names watch); its generated <c>List…WithHttpMessagesAsync(watch: true)</c>
/// still builds, authenticates and checks the request, but then parses only the stream's first line as a list.
/// For a watch this override hands the response back unread, so <see cref="NodeWatchStream"/> reads one event per
/// line, with the library's own models and JSON context.
/// </summary>
internal sealed class StreamingKubernetes(KubernetesClientConfiguration config) : k8s.Kubernetes(config)
{
    protected override Task<HttpOperationResponse<T>> CreateResultAsync<T>(HttpRequestMessage httpRequest,
        HttpResponseMessage httpResponse, bool? watch, CancellationToken cancellationToken) =>
        watch == true
            ? Task.FromResult(new HttpOperationResponse<T> { Request = httpRequest, Response = httpResponse })
            : base.CreateResultAsync<T>(httpRequest, httpResponse, watch, cancellationToken);
}
