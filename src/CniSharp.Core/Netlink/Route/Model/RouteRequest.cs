using System.Net;
using CniSharp.Ip;

namespace CniSharp.Netlink.Route;

/// <summary>A route to add or delete. Scope defaults to link for gateway-less routes, universe otherwise.</summary>
internal sealed record RouteRequest
{
    public required IPPrefix Dst { get; init; }
    public IPAddress? Gateway { get; init; }
    public int? OutIndex { get; init; }
    public int? Table { get; init; }
    public byte? Scope { get; init; }
    public int? Priority { get; init; }
    public IPAddress? PrefSrc { get; init; }
    public int? Mtu { get; init; }
    public int? AdvMss { get; init; }
}
