using CniSharp.Interop;

namespace CniSharp.Plugins.Bridge;

/// <summary>
/// Serialises, across CniSharp processes, the moments a bridge is created, gets a port, or is removed again by
/// a rollback, so a rollback can tell "this ADD created the bridge and nobody else uses it" without racing a
/// concurrent ADD (the race that made the reference refuse to remove bridges: plugins#282).
/// </summary>
internal sealed class BridgeLock : IDisposable
{
    public const string Directory = "/run/cnisharp/locks";

    private readonly SafeFileDescriptor _fd;

    private BridgeLock(SafeFileDescriptor fd) => _fd = fd;

    public static BridgeLock Acquire(string bridgeName)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = $"{Directory}/bridge-{bridgeName}.lock";
        SafeFileDescriptor fd = LibC.open(path, LibC.OpenFlags.O_RDWR | LibC.OpenFlags.O_CREAT, 0b110_000_000);
        try
        {
            LibC.Check(LibC.flock(fd, LibC.LockOperations.LOCK_EX), "lock", path);
            return new BridgeLock(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Closing the descriptor releases the flock.</summary>
    public void Dispose() => _fd.Dispose();
}
