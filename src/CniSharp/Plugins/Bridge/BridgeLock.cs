using CniSharp.Interop;

namespace CniSharp.Plugins.Bridge;

/// <summary>
/// Serialises, across CniSharp processes, the moments a bridge is created, gets a port, or is removed again by
/// a rollback, so a rollback can tell "this ADD created the bridge and nobody else uses it" without racing a
/// concurrent ADD (the race that made the reference refuse to remove bridges: plugins#282).
/// One lock file for all bridges: the section it guards is well under a millisecond, and a file per bridge
/// name would accumulate in /run for every bridge ever used.
/// </summary>
internal sealed class BridgeLock : IDisposable
{
    public const string Directory = "/run/cnisharp";
    public const string Path = Directory + "/bridges.lock";

    private readonly SafeFileDescriptor _fd;

    private BridgeLock(SafeFileDescriptor fd) => _fd = fd;

    public static BridgeLock Acquire()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new BridgeLock(Files.FileLock.Acquire(Path));
    }

    /// <summary>Closing the descriptor releases the flock.</summary>
    public void Dispose() => _fd.Dispose();
}
