using System.Net;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// One hostPort mapping as it becomes a map element: traffic to the host's <see cref="HostPort"/> (on
/// <see cref="HostIp"/> only, or on any local address when null) goes to <see cref="PodIp"/>:<see cref="ContainerPort"/>.
/// </summary>
internal sealed record HostPortMapping(IPAddress? HostIp, byte Protocol, ushort HostPort, IPAddress PodIp, ushort ContainerPort)
{
    public string ProtocolName => Protocol switch
    {
        NftKey.Tcp => "tcp",
        NftKey.Udp => "udp",
        NftKey.Sctp => "sctp",
        _ => Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>"10.0.0.1:8080/tcp" or "*:8080/tcp" (IPv4 or IPv6 by the pod address).</summary>
    public string HostSide => $"{HostIp?.ToString() ?? "*"}:{HostPort}/{ProtocolName}";

    public override string ToString() => $"hostPort {HostSide} -> {PodIp}:{ContainerPort}";
}
