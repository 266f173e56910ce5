using CniSharp.Cni;
using CniSharp.Interop;

namespace CniSharp.Files;

/// <summary>
/// The one place file-system failures become CNI errors. .NET's file API throws IOException (and
/// UnauthorizedAccessException for EACCES/EPERM); our own open(2)/write(2)/flock(2) paths throw UnixException.
/// </summary>
internal static class FileErrors
{
    /// <summary>True for every exception a file operation throws when the file system (not the code) is at fault.</summary>
    public static bool IsFileSystemFailure(Exception e) => e is IOException or UnixException or UnauthorizedAccessException;

    /// <summary>
    /// Runs <paramref name="action"/>; a file-system failure becomes <paramref name="code"/> with the message
    /// "<paramref name="what"/>: &lt;the system's reason&gt;" and the exception type as details.
    /// <paramref name="what"/> names the directory: the one thing an operator can fix.
    /// </summary>
    public static T Guard<T>(CniErrorCode code, string what, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsFileSystemFailure(e))
        {
            throw new CniException(code, $"{what}: {e.Message}", e.GetType().Name, e);
        }
    }

    /// <inheritdoc cref="Guard{T}(CniErrorCode, string, Func{T})"/>
    public static void Guard(CniErrorCode code, string what, Action action) =>
        Guard(code, what, () =>
        {
            action();
            return true;
        });
}
