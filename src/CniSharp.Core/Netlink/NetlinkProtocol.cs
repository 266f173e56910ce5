using CniSharp.Interop;

namespace CniSharp.Netlink;

/// <summary>The netlink protocol a socket speaks (the third argument of socket(AF_NETLINK, SOCK_RAW, ...)).</summary>
internal enum NetlinkProtocol
{
    /// <summary>NETLINK_ROUTE: links, addresses, routes, neighbours, FDB (<see cref="Route.RouteNetlink"/>).</summary>
    Route = LibC.NETLINK_ROUTE,

    /// <summary>NETLINK_NETFILTER: nfnetlink subsystems — nf_tables, conntrack.</summary>
    Netfilter = LibC.NETLINK_NETFILTER,
}
