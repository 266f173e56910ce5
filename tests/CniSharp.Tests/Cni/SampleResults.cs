using System.Net;
using CniSharp.Cni;
using CniSharp.Ip;

namespace CniSharp.Tests.Cni;

/// <summary>Results shaped like what the bridge plugin returns, for writer and parser tests.</summary>
internal static class SampleResults
{
    /// <summary>Bridge, host veth, container veth; one IPv4 and one IPv6 address; every 1.1 field set.</summary>
    public static CniResult DualStack() => new()
    {
        Interfaces =
        [
            new CniInterface { Name = "cni0", Mac = "0a:58:0a:f4:01:01", Mtu = 1500 },
            new CniInterface { Name = "veth1234abcd", Mac = "52:00:00:00:00:11" },
            new CniInterface { Name = "eth0", Mac = "aa:00:00:00:00:44", Mtu = 1450, Sandbox = "/var/run/netns/cni-1", SocketPath = "/run/vhost.sock", PciId = "0000:04:00.5" },
        ],
        Ips =
        [
            new CniIPConfig { Address = IPPrefix.Parse("10.244.1.5/24"), Gateway = IPAddress.Parse("10.244.1.1"), Interface = 2 },
            new CniIPConfig { Address = IPPrefix.Parse("fd00::5/64"), Gateway = IPAddress.Parse("fd00::1"), Interface = 2 },
        ],
        Routes =
        [
            new CniRoute { Dst = IPPrefix.Parse("0.0.0.0/0"), Gw = IPAddress.Parse("10.244.1.1"), Mtu = 1450, AdvMss = 1410, Priority = 100, Table = 254, Scope = 0 },
            new CniRoute { Dst = IPPrefix.Parse("::/0") },
        ],
        Dns = new CniDns { Nameservers = ["10.96.0.10"], Domain = "cluster.local", Search = ["svc.cluster.local"], Options = ["ndots:5"] },
    };
}
