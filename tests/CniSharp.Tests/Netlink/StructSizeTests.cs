using System.Runtime.CompilerServices;
using CniSharp.Netlink;

namespace CniSharp.Tests.Netlink;

// The kernel ABI sizes of the netlink headers (linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h).
public class StructSizeTests
{
    [Fact] public void NlMsgHdr_Is16Bytes() => Assert.Equal(16, Unsafe.SizeOf<NlMsgHdr>());
    [Fact] public void IfInfoMsg_Is16Bytes() => Assert.Equal(16, Unsafe.SizeOf<IfInfoMsg>());
    [Fact] public void IfAddrMsg_Is8Bytes() => Assert.Equal(8, Unsafe.SizeOf<IfAddrMsg>());
    [Fact] public void RtMsg_Is12Bytes() => Assert.Equal(12, Unsafe.SizeOf<RtMsg>());
    [Fact] public void NlMsgErr_Is20Bytes() => Assert.Equal(20, Unsafe.SizeOf<NlMsgErr>());
}
