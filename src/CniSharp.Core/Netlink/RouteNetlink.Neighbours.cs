using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace CniSharp.Netlink;

internal sealed partial class RouteNetlink
{
    /// <summary>Equivalent to: ip neigh replace {address} lladdr {mac} dev {index} nud permanent</summary>
    public void SetPermanentNeighbour(int index, IPAddress address, PhysicalAddress mac)
    {
        NetlinkMessageWriter w = _session.Begin(NeighbourMessages.NewNeigh, NlmFlags.Create | NlmFlags.Replace | NlmFlags.Ack);
        w.WriteHeader(new NdMsg { Family = FamilyOf(address.AddressFamily), Index = index, State = NeighbourState.Permanent });
        w.WriteAddress(NeighbourAttr.Dst, address);
        w.WriteBytes(NeighbourAttr.LlAddr, mac.GetAddressBytes());
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"set neighbour {address} lladdr {mac} on {DescribeLink(index)}");
    }

    /// <summary>Equivalent to: ip [-4|-6] neigh show dev {index}</summary>
    public IReadOnlyList<NeighbourInfo> ListNeighbours(int index, AddressFamily family)
    {
        NetlinkMessageWriter w = _session.Begin(NeighbourMessages.GetNeigh, NlmFlags.Dump);
        w.WriteHeader(new NdMsg { Family = FamilyOf(family) });
        // The kernel filters the dump by NDA_IFINDEX; the parser checks again (older kernels ignore it).
        w.WriteUInt32(NeighbourAttr.IfIndex, (uint)index);
        var neighbours = new List<NeighbourInfo>();
        NetlinkAck ack = _session.Query(w, (index, family), NeighbourParser.TryParse, neighbours);
        if (ack.Failed) throw ack.ToException($"list neighbours of {DescribeLink(index)}");
        return neighbours;
    }
}
