using System.Net;

namespace CniSharp.Agent.Bgp;

/// <summary>A BGP speaker outside the cluster (a ToR, a datacenter router): <c>--bgp-peers IP:AS</c>.</summary>
internal sealed record ExternalPeer(IPAddress Address, uint As);
