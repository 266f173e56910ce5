using System.Net;
using System.Net.NetworkInformation;
using CniSharp.Ip;

namespace CniSharp.Agent.Dataplane;

/// <summary>
/// A route the agent owns (main table, protocol <see cref="AgentRoute.Protocol"/>): <c>Dst via Gateway dev
/// OutIndex [onlink]</c>. Host-gw: via the peer's underlay address; VXLAN: via the peer subnet's first address,
/// onlink on the VXLAN device.
/// </summary>
internal sealed record AgentRoute(IPPrefix Dst, IPAddress Gateway, int OutIndex, bool OnLink)
{
    /// <summary>
    /// rtm_protocol of every route the agent programs (ip route show proto 115). Marks ownership: a restarted
    /// agent (or one with another backend) finds exactly its own routes by it, and never touches anyone
    /// else's. 115 is in neither iproute2's rt_protos (openr 99, bgp 186-192, ...) nor used by the usual
    /// agents (Calico's felix uses 80).
    /// </summary>
    public const byte Protocol = 115;
}

/// <summary>A permanent neighbour on the VXLAN device: the peer subnet's first address → the peer's VTEP MAC.</summary>
internal sealed record NeighbourEntry(int Index, IPAddress Address, PhysicalAddress Mac)
{
    public bool Equals(NeighbourEntry? other) =>
        other is not null && Index == other.Index && Address.Equals(other.Address) && Mac.Equals(other.Mac);

    public override int GetHashCode() => HashCode.Combine(Index, Address, Mac);
}

/// <summary>A VXLAN FDB entry: frames for the peer's VTEP MAC go to the peer's underlay address.</summary>
internal sealed record FdbEntry(int Index, PhysicalAddress Mac, IPAddress Destination)
{
    public bool Equals(FdbEntry? other) =>
        other is not null && Index == other.Index && Mac.Equals(other.Mac) && Destination.Equals(other.Destination);

    public override int GetHashCode() => HashCode.Combine(Index, Mac, Destination);
}

/// <summary>The one VXLAN device (flannel's flannel.1): VNI, UDP port, local underlay address and link, MTU.</summary>
internal sealed record VxlanSpec(string Name, int Vni, int Port, IPAddress Local, int UnderlayIndex, int Mtu, PhysicalAddress Mac)
{
    /// <summary>flannel's name, VNI and port: the kernel's VXLAN default port 8472 (IANA's is 4789).</summary>
    public const string DefaultName = "cnisharp.1";
    public const int DefaultVni = 1;
    public const int DefaultPort = 8472;

    /// <summary>VXLAN over IPv4: 14 (inner Ethernet) + 8 (VXLAN) + 8 (UDP) + 20 (IPv4) bytes per packet.</summary>
    public const int Overhead = 50;
}

/// <summary>The VXLAN device as found in the kernel.</summary>
internal sealed record VxlanDevice(int Index, string Name, PhysicalAddress Mac, int Vni, int Port, IPAddress? Local,
    int? UnderlayIndex, int Mtu, bool Learning, bool Up)
{
    /// <summary>True when the device can be used as is for <paramref name="spec"/> (VNI, port, local, learning off).</summary>
    public bool Matches(VxlanSpec spec) =>
        Vni == spec.Vni && Port == spec.Port && Equals(Local, spec.Local) && !Learning &&
        (UnderlayIndex is null || UnderlayIndex == spec.UnderlayIndex);
}
