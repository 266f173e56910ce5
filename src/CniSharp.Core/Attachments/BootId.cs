using CniSharp.Files;

namespace CniSharp.Attachments;

/// <summary>
/// The kernel's random id of this boot. Every network namespace dies with a reboot and no DEL ever arrives for
/// the pods that lived in them, so state stamped with another boot's id belongs to nobody (plugins#252).
/// </summary>
internal static class BootId
{
    public const string Path = "/proc/sys/kernel/random/boot_id";

    private static string? s_current;

    /// <summary>E.g. "3f1c…-…"; "unknown" if /proc is unreadable, which then never matches a recorded id falsely.</summary>
    public static string Current => s_current ??= SmallFile.TryRead(Path)?.Trim() is { Length: > 0 } id ? id : "unknown";
}
