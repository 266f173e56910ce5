using System.Runtime.CompilerServices;
using CniSharp.Netlink;

namespace CniSharp.Tests.Netlink;

// The kernel ABI sizes of the headers every netlink protocol shares (linux/netlink.h).
public class StructSizeTests
{
    [Fact] public void NlMsgHdr_Is16Bytes() => Assert.Equal(16, Unsafe.SizeOf<NlMsgHdr>());
    [Fact] public void NlMsgErr_Is20Bytes() => Assert.Equal(20, Unsafe.SizeOf<NlMsgErr>());
}
