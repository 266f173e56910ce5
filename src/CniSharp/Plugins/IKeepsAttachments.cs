using CniSharp.Attachments;

namespace CniSharp.Plugins;

/// <summary>
/// A plugin that records its attachments on disk and can find the ones nobody will ever DEL: "cnisharp gc" asks
/// every network served by one. Implemented by handing the request to the plugin's
/// <see cref="AttachmentLifecycle.CollectStale"/>.
/// </summary>
internal interface IKeepsAttachments
{
    /// <summary>Releases (or on a dry run lists) stale attachments of the request's network; failures go to errors.</summary>
    List<SweptAttachment> CollectStale(PluginRequest request, bool dryRun, List<string> errors, Action<string> warn);
}
