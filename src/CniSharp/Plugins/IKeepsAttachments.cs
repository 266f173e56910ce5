using CniSharp.Plugins.Bridge;

namespace CniSharp.Plugins;

/// <summary>A plugin that records its attachments on disk and can find the ones nobody will ever DEL.</summary>
internal interface IKeepsAttachments
{
    /// <summary>Releases (or on a dry run lists) stale attachments of the request's network; failures go to errors.</summary>
    List<BridgePlugin.SweptAttachment> CollectStale(PluginRequest request, bool dryRun, List<string> errors, Action<string> warn);
}
