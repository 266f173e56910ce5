namespace CniSharp.Attachments;

/// <summary>One stale attachment found by a sweep, and why it was stale.</summary>
internal sealed record SweptAttachment(AttachmentRecord Record, string Reason);
