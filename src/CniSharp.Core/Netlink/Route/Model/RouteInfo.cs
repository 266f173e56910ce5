using System.Net;
using CniSharp.Ip;

namespace CniSharp.Netlink.Route;

/// <summary>A route the kernel reports (RTM_NEWROUTE).</summary>
internal sealed record RouteInfo
{
    public required IPPrefix Dst { get; init; }
    public IPAddress? Gateway { get; init; }
    public int? OutIndex { get; init; }
    public int Table { get; init; }
    public byte Scope { get; init; }
    public byte Protocol { get; init; }
    public byte Type { get; init; }
    public int? Priority { get; init; }
    public IPAddress? PrefSrc { get; init; }
    public int? Mtu { get; init; }
    public int? AdvMss { get; init; }
}
