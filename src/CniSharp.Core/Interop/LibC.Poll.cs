using System.Runtime.InteropServices;

namespace CniSharp.Interop;

// poll(2) is ours, struct and all: Tmds.LibC 0.5.0 declares poll without SetLastError, so the EINTR that
// NetlinkSocket retries on would be lost. pollfd and POLLIN are the same on every Linux architecture.
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
