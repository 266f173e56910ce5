using System.Runtime.CompilerServices;
using CniSharp.Interop;

namespace CniSharp.Tests.Interop;

// The kernel ABI sizes these structs must have on 64-bit Linux (linux/netlink.h, bits/statfs.h, poll.h, linux/stat.h).
public class StructLayoutTests
{
    [Fact]
    public void SockAddrNetlink_Is12Bytes() => Assert.Equal(12, Unsafe.SizeOf<LibC.SockAddrNetlink>());

    [Fact]
    public void StatFs_Is120Bytes() => Assert.Equal(120, Unsafe.SizeOf<LibC.StatFs>());

    [Fact]
    public void PollFd_Is8Bytes() => Assert.Equal(8, Unsafe.SizeOf<LibC.PollFd>());

    [Fact]
    public void Statx_Is256Bytes() => Assert.Equal(256, Unsafe.SizeOf<Tmds.Linux.statx>());
}
