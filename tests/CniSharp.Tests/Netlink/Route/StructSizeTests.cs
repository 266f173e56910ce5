using System.Runtime.CompilerServices;
using CniSharp.Netlink.Route;

namespace CniSharp.Tests.Netlink.Route;

// The kernel ABI sizes of the rtnetlink headers (linux/rtnetlink.h, linux/if_addr.h, linux/neighbour.h).
public class StructSizeTests
{
    [Fact] public void IfInfoMsg_Is16Bytes() => Assert.Equal(16, Unsafe.SizeOf<IfInfoMsg>());
    [Fact] public void IfAddrMsg_Is8Bytes() => Assert.Equal(8, Unsafe.SizeOf<IfAddrMsg>());
    [Fact] public void RtMsg_Is12Bytes() => Assert.Equal(12, Unsafe.SizeOf<RtMsg>());
    [Fact] public void NdMsg_Is12Bytes() => Assert.Equal(12, Unsafe.SizeOf<NdMsg>());
}
