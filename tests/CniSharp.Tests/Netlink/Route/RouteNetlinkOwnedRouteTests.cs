using System.Net;
using CniSharp.Ip;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Tests.Netlink.Route;

/// <summary>
/// Golden bytes of the route verbs the node agent uses: ip route replace with a protocol (its ownership mark)
/// and onlink (a VXLAN next hop no prefix covers). "strace" payloads are from ip(8) for the same command.
/// </summary>
public sealed class RouteNetlinkOwnedRouteTests : IDisposable
{
    private const ushort RequestAckCreateReplace = 0x0505;  // NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_REPLACE

    private readonly FakeNetlinkTransport _kernel = new();
    private readonly RouteNetlink _nl;

    public RouteNetlinkOwnedRouteTests() => _nl = new RouteNetlink(_kernel, NetlinkSocket.Open(NetlinkProtocol.Route));

    public void Dispose() => _nl.Dispose();

    [Fact]
    public void ReplaceRoute_Onlink_MatchesIpRouteReplaceOnlinkProto()
    {
        _kernel.Reply(Replies.Ack);
        _nl.ReplaceRoute(new RouteRequest { Dst = IPPrefix.Parse("10.244.4.0/24"), Gateway = IPAddress.Parse("10.244.4.0"), OutIndex = 3 },
            (RouteProtocol)99, onLink: true);
        // strace: ip route replace 10.244.4.0/24 via 10.244.4.0 dev v0 onlink proto 99  (v0 = 3)
        AssertSent(0x18, RequestAckCreateReplace,
            "02 18 00 00 fe 63 00 01 04000000" +            // AF_INET /24, main, proto 99, universe, unicast, RTNH_F_ONLINK
            "0800 0100 0af40400" +                          // RTA_DST
            "0800 0500 0af40400" +                          // RTA_GATEWAY
            "0800 0400 03000000");                          // RTA_OIF
    }

    [Fact]
    public void ReplaceRoute_Direct_HasNoFlags()
    {
        _kernel.Reply(Replies.Ack);
        _nl.ReplaceRoute(new RouteRequest { Dst = IPPrefix.Parse("10.9.0.0/16"), Gateway = IPAddress.Parse("10.1.2.1"), OutIndex = 3 },
            (RouteProtocol)115);
        // strace (proto 99 there): ip route replace 10.9.0.0/16 via 10.1.2.1 dev v0 proto 99
        AssertSent(0x18, RequestAckCreateReplace,
            "02 10 00 00 fe 73 00 01 00000000" +
            "0800 0100 0a090000" +
            "0800 0500 0a010201" +
            "0800 0400 03000000");
    }

    [Fact]
    public void ReplaceRoute_Ipv6_UsesInet6()
    {
        _kernel.Reply(Replies.Ack);
        _nl.ReplaceRoute(new RouteRequest { Dst = IPPrefix.Parse("fd00:244:4::/64"), Gateway = IPAddress.Parse("fd00:244:4::"), OutIndex = 3 },
            (RouteProtocol)115, onLink: true);
        AssertSent(0x18, RequestAckCreateReplace,
            "0a 40 00 00 fe 73 00 01 04000000" +
            "1400 0100 fd000244000400000000000000000000" +
            "1400 0500 fd000244000400000000000000000000" +
            "0800 0400 03000000");
    }

    private void AssertSent(ushort type, ushort flags, string payloadHex)
    {
        byte[] payload = Convert.FromHexString(payloadHex.Replace(" ", ""));
        byte[] sent = Assert.Single(_kernel.Sent);
        var expected = new byte[16 + payload.Length];
        BitConverter.TryWriteBytes(expected.AsSpan(0), (uint)expected.Length);
        BitConverter.TryWriteBytes(expected.AsSpan(4), type);
        BitConverter.TryWriteBytes(expected.AsSpan(6), flags);
        BitConverter.TryWriteBytes(expected.AsSpan(8), _kernel.LastSequence);
        BitConverter.TryWriteBytes(expected.AsSpan(12), _kernel.PortId);
        payload.CopyTo(expected, 16);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(sent));
    }
}
