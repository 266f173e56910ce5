using System.Runtime.InteropServices;

namespace CniSharp.Interop;

/// <summary>An owned file descriptor (socket, namespace file, lock file).</summary>
internal sealed class SafeFileDescriptor : SafeHandle
{
    public SafeFileDescriptor() : base(invalidHandleValue: -1, ownsHandle: true) { }

    public SafeFileDescriptor(int fd, bool ownsHandle = true) : base(-1, ownsHandle) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    protected override bool ReleaseHandle()
    {
        // close(2) may report EINTR, but the descriptor is gone either way on Linux; retrying could
        // close a number that another thread has just been handed.
        Tmds.Linux.LibC.close((int)handle);
        return true;
    }
}
