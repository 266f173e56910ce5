using System.Net;
using CniSharp.Netlink;

namespace CniSharp.Tests.Netlink;

public class NetlinkMessageWriterTests
{
    [Fact]
    public void Attributes_ArePaddedTo4Bytes_AndLengthsExcludePadding()
    {
        var w = new NetlinkMessageWriter();
        w.Begin(NlMsgType.NewLink, NlmFlags.Request);
        w.WriteUInt8(LinkAttr.OperState, 6);
        w.WriteUInt16(LinkAttr.LinkMode, 0x0102);
        w.WriteString(LinkAttr.IfName, "abcd");
        AssertHex(
            "2C000000 1000 0100 00000000 00000000" +
            "0500 1000 06 000000" +             // u8: nla_len 5, 3 bytes of padding
            "0600 1100 0201 0000" +             // u16: nla_len 6
            "0900 0300 6162636400 000000",      // "abcd" + NUL: nla_len 9
            w.Complete(0, 0));
    }

    [Fact]
    public void NestedScopes_BackPatchTheirLengths_AndCanSetNlaFNested()
    {
        var w = new NetlinkMessageWriter();
        w.Begin(NlMsgType.SetLink, NlmFlags.Request);
        using (w.BeginNested(LinkAttr.LinkInfo))
        {
            using (w.BeginNested(LinkInfoAttr.Data, nestedFlag: true))
                w.WriteUInt32(BridgeAttr.ForwardDelay, 7);
        }
        AssertHex(
            "20000000 1300 0100 00000000 00000000" +
            "1000 1200" +                       // IFLA_LINKINFO, 16 bytes
            "0C00 0280" +                       //   IFLA_INFO_DATA|NLA_F_NESTED, 12 bytes
            "0800 0100 07000000",               //     u32 7
            w.Complete(0, 0));
    }

    [Fact]
    public void Addresses_AreWrittenInNetworkOrder_AndBufferGrows()
    {
        var w = new NetlinkMessageWriter(capacity: 16);
        w.Begin(NlMsgType.NewAddr, NlmFlags.Request);
        w.WriteAddress(AddrAttr.Local, IPAddress.Parse("192.0.2.1"));
        w.WriteAddress(AddrAttr.Address, IPAddress.Parse("2001:db8::1"));
        AssertHex(
            "2C000000 1400 0100 00000000 00000000" +
            "0800 0200 C0000201" +
            "1400 0100 20010DB8000000000000000000000001",
            w.Complete(0, 0));
    }

    private static void AssertHex(string expected, ReadOnlySpan<byte> actual) =>
        Assert.Equal(expected.Replace(" ", ""), Convert.ToHexString(actual));
}
