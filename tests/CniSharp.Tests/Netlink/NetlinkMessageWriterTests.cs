using System.Net;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Tests.Netlink;

public class NetlinkMessageWriterTests
{
    [Fact]
    public void Attributes_ArePaddedTo4Bytes_AndLengthsExcludePadding()
    {
        var w = new NetlinkMessageWriter();
        w.Begin(RtmType.NewLink, NlmFlags.Request);
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
        w.Begin(RtmType.SetLink, NlmFlags.Request);
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
        w.Begin(RtmType.NewAddr, NlmFlags.Request);
        w.WriteAddress(AddrAttr.Local, IPAddress.Parse("192.0.2.1"));
        w.WriteAddress(AddrAttr.Address, IPAddress.Parse("2001:db8::1"));
        AssertHex(
            "2C000000 1400 0100 00000000 00000000" +
            "0800 0200 C0000201" +
            "1400 0100 20010DB8000000000000000000000001",
            w.Complete(0, 0));
    }

    [Fact]
    public void SeveralMessages_EachGetTheirOwnLengthAndConsecutiveSequence()
    {
        var w = new NetlinkMessageWriter();
        w.Begin(RtmType.NewLink, NlmFlags.Request);
        w.WriteUInt32(LinkAttr.Mtu, 1400);
        w.Append(RtmType.DelLink, NlmFlags.Request | NlmFlags.Ack);
        w.WriteString(LinkAttr.IfName, "a");
        Assert.Equal(2, w.MessageCount);
        Assert.Equal((ushort)RtmType.DelLink, w.TypeOf(1));
        Assert.Equal(NlmFlags.Request | NlmFlags.Ack, w.FlagsOf(1));
        AssertHex(
            "18000000 1000 0100 07000000 2A000000" +    // 24 bytes, seq 7, pid 42
            "0800 0400 78050000" +
            "18000000 1100 0500 08000000 2A000000" +    // 24 bytes with the padding, seq 8
            "0600 0300 6100 0000",
            w.Complete(7, 42));
    }

    [Fact]
    public void BigEndianIntegers_AreWrittenInNetworkOrder_AndReadBack()
    {
        var w = new NetlinkMessageWriter();
        w.Begin(RtmType.NewLink, NlmFlags.Request);
        w.WriteUInt16BigEndian(LinkAttr.Mtu, 0x2118);
        w.WriteUInt32BigEndian(LinkAttr.Link, 0x01020304);
        w.WriteUInt64BigEndian(LinkAttr.Master, 0x0102030405060708);
        w.WriteEmpty(LinkAttr.IfAlias);
        AssertHex(
            "30000000 1000 0100 00000000 00000000" +
            "0600 0400 2118 0000" +
            "0800 0500 01020304" +
            "0C00 0A00 0102030405060708" +
            "0400 1400",
            w.Complete(0, 0));

        var reader = new NetlinkAttributeReader(w.WrittenSpan[16..]);
        Assert.True(reader.TryRead(out NetlinkAttribute port));
        Assert.Equal(0x2118, port.GetUInt16BigEndian());
        Assert.True(reader.TryRead(out NetlinkAttribute u32));
        Assert.Equal(0x01020304u, u32.GetUInt32BigEndian());
        Assert.True(reader.TryRead(out NetlinkAttribute u64));
        Assert.Equal(0x0102030405060708ul, u64.GetUInt64BigEndian());
        Assert.True(reader.TryRead(out NetlinkAttribute empty));
        Assert.True(empty.Value.IsEmpty);
        Assert.False(reader.TryRead(out _));
    }

    private static void AssertHex(string expected, ReadOnlySpan<byte> actual) =>
        Assert.Equal(expected.Replace(" ", ""), Convert.ToHexString(actual));
}
