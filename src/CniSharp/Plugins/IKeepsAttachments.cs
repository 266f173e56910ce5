using CniSharp.Attachments;
using CniSharp.Files;

namespace CniSharp.Plugins;

/// <summary>A plugin that records its attachments on disk and can find the ones nobody will ever DEL.</summary>
internal interface IKeepsAttachments
{
    /// <summary>Releases (or on a dry run lists) stale attachments of the request's network; failures go to errors.</summary>
    List<SweptAttachment> CollectStale(PluginRequest request, bool dryRun, List<string> errors, Action<string> warn);
}

/// <summary>One stale attachment found by a sweep, and why it was stale.</summary>
internal sealed record SweptAttachment(AttachmentRecord Record, string Reason);
