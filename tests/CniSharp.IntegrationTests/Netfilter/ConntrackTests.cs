using System.Net;
using System.Net.Sockets;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netfilter;

/// <summary>The conntrack flush host ports rely on, against the kernel in a private namespace.</summary>
public class ConntrackTests
{
    [RootFact]
    public void DeleteFlowsTo_RemovesOnlyTheEntriesOfThatPortAndProtocol() => Run(() =>
    {
        RunIp("link set lo up");
        // A rule that uses conntrack makes the namespace track connections at all.
        using (NfTables nft = NfTables.Open())
            HostPorts.Validate(nft);
        RunNft("add table inet ct_on");
        RunNft("add chain inet ct_on c { type filter hook output priority 0; ct state new accept; }");
        SendUdp(IPAddress.Loopback, 5353);
        SendUdp(IPAddress.Loopback, 6000);
        SendUdp(IPAddress.IPv6Loopback, 5353);
        Assert.Contains("dport=5353", RunConntrack("-L -f ipv4 -p udp"));

        using (ConntrackNetlink ct = ConntrackNetlink.Open())
        {
            ct.DeleteFlowsTo(AddressFamily.InterNetwork, NftKey.Udp, 5353);
            ct.DeleteFlowsTo(AddressFamily.InterNetwork, NftKey.Udp, 7000); // nothing to delete: no error
        }

        string v4 = RunConntrack("-L -f ipv4 -p udp");
        Assert.DoesNotContain("dport=5353", v4);
        Assert.Contains("dport=6000", v4);
        Assert.Contains("dport=5353", RunConntrack("-L -f ipv6 -p udp"));
    });

    private static void SendUdp(IPAddress to, int port)
    {
        using var socket = new Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.SendTo([1, 2, 3], new IPEndPoint(to, port));
    }
}
