using System.Net;
using CniSharp.Ip;

namespace CniSharp.Agent.Reconcile;

/// <summary>A peer subnet the backend cannot route to (host-gw to a node behind a router), with why.</summary>
internal sealed record UnreachablePeer(string Node, IPAddress? Address, IPPrefix Subnet, string Reason);
