using CniSharp.Cni;

namespace CniSharp.Ipam.Delegated;

/// <summary>Finds a delegate plugin binary in CNI_PATH the way libcni's invoke.FindInPath does.</summary>
internal static class PluginLocator
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The first directory in <paramref name="path"/> holding an executable regular file named <paramref name="type"/>.</summary>
    public static string Find(string type, IReadOnlyList<string> path)
    {
        // The type is a file name, never a path: "../x" or "/bin/sh" would run arbitrary binaries.
        if (string.IsNullOrEmpty(type) || type.IndexOfAny(['/', '\\', '\0']) >= 0 || type is "." or "..")
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"invalid plugin type \"{type}\": must be a file name without '/'");
        if (path.Count == 0)
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"failed to find plugin \"{type}\": CNI_PATH is empty, so there are no directories to search");
        foreach (string dir in path)
        {
            string candidate = Path.Combine(dir, type);
            if (IsExecutableFile(candidate)) return candidate;
        }
        throw new CniException(CniErrorCode.InvalidNetworkConfig,
            $"failed to find plugin \"{type}\" in path [{string.Join(" ", path)}]");
    }

    private static bool IsExecutableFile(string candidate)
    {
        try
        {
            // File.Exists follows symlinks and is false for directories. (CniSharp is Linux-only; the guard states it.)
            return !OperatingSystem.IsWindows() && File.Exists(candidate) && (File.GetUnixFileMode(candidate) & AnyExecute) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
