using System.Runtime.InteropServices;

namespace CniSharp.Interop;

internal static partial class LibC
{
    internal const short POLLIN = 0x1;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int fd;
        public short events;
        public short revents;
    }

    // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
    [LibraryImport(Lib, SetLastError = true)]
    internal static unsafe partial int poll(PollFd* fds, nuint nfds, int timeout);
}
