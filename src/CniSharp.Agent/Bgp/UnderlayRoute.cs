using System.Net;
using CniSharp.Ip;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// A kernel route on the underlay link with a gateway (the default route, typically): how this node reaches
/// underlay addresses that are not on its own subnet. BIRD resolves a peer route's next hop through these.
/// </summary>
internal sealed record UnderlayRoute(IPPrefix Dst, IPAddress Gateway);
