using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    /// <summary>Equivalent to: ip neigh replace {address} lladdr {mac} dev {index} nud permanent</summary>
    public void ReplaceNeighbor(int index, IPAddress address, PhysicalAddress mac)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewNeigh, NlmFlags.Create | NlmFlags.Replace | NlmFlags.Ack);
        w.WriteHeader(new NdMsg { Family = FamilyOf(address.AddressFamily), Index = index, State = NeighborState.Permanent });
        w.WriteAddress(NeighborAttr.Dst, address);
        w.WriteBytes(NeighborAttr.LinkLayerAddress, mac.GetAddressBytes());
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"replace neighbour {address} lladdr {mac} on {DescribeLink(index)}");
    }

    /// <summary>Equivalent to: ip neigh del {address} dev {index}</summary>
    public void DeleteNeighbor(int index, IPAddress address)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.DelNeigh, NlmFlags.Ack);
        w.WriteHeader(new NdMsg { Family = FamilyOf(address.AddressFamily), Index = index, State = NeighborState.Permanent });
        w.WriteAddress(NeighborAttr.Dst, address);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"delete neighbour {address} on {DescribeLink(index)}");
    }

    /// <summary>Equivalent to: ip -4|-6 neigh show dev {index}</summary>
    public IReadOnlyList<NeighborInfo> ListNeighbors(int index, AddressFamily family) =>
        DumpNeighbors(index, FamilyOf(family), $"list {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} neighbours of {index}");

    /// <summary>Equivalent to: bridge fdb append {mac} dev {index} dst {remote} self permanent (one more destination for the MAC)</summary>
    public void AppendFdb(int index, PhysicalAddress mac, IPAddress remote) =>
        WriteFdb(RtmType.NewNeigh, NlmFlags.Create | NlmFlags.Append, index, mac, remote, "append");

    /// <summary>Equivalent to: bridge fdb replace {mac} dev {index} dst {remote} self permanent (the MAC's only destination)</summary>
    public void ReplaceFdb(int index, PhysicalAddress mac, IPAddress remote) =>
        WriteFdb(RtmType.NewNeigh, NlmFlags.Create | NlmFlags.Replace, index, mac, remote, "replace");

    /// <summary>Equivalent to: bridge fdb del {mac} dev {index} dst {remote} self</summary>
    public void DeleteFdb(int index, PhysicalAddress mac, IPAddress remote) =>
        WriteFdb(RtmType.DelNeigh, NlmFlags.None, index, mac, remote, "delete");

    /// <summary>Equivalent to: bridge fdb show dev {index}</summary>
    public IReadOnlyList<NeighborInfo> ListFdb(int index) =>
        DumpNeighbors(index, NetlinkConstants.AF_BRIDGE, $"list fdb of {index}");

    private void WriteFdb(RtmType type, NlmFlags flags, int index, PhysicalAddress mac, IPAddress remote, string verb)
    {
        // AF_BRIDGE + NTF_SELF puts the entry in the device's own forwarding table (the vxlan driver's), where
        // NDA_DST names the remote VTEP; bridge(8) marks static entries NUD_PERMANENT|NUD_NOARP.
        NetlinkMessageWriter w = _session.Begin(type, flags | NlmFlags.Ack);
        w.WriteHeader(new NdMsg
        {
            Family = NetlinkConstants.AF_BRIDGE,
            Index = index,
            State = NeighborState.Permanent | NeighborState.NoArp,
            Flags = NeighborFlags.Self,
        });
        w.WriteBytes(NeighborAttr.LinkLayerAddress, mac.GetAddressBytes());
        w.WriteAddress(NeighborAttr.Dst, remote);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"{verb} fdb {mac} dst {remote} on {DescribeLink(index)}");
    }

    private IReadOnlyList<NeighborInfo> DumpNeighbors(int index, byte family, string operation)
    {
        // NDA_IFINDEX narrows the dump in the kernel where it can; the parser filters by ndm_ifindex regardless
        // (an AF_BRIDGE dump with this request shape walks every port).
        NetlinkMessageWriter w = _session.Begin(RtmType.GetNeigh, NlmFlags.Dump);
        w.WriteHeader(new NdMsg { Family = family });
        w.WriteUInt32(NeighborAttr.IfIndex, (uint)index);
        var entries = new List<NeighborInfo>();
        NetlinkAck ack = _session.Query(w, (index, family), NeighborParser.TryParse, entries);
        if (ack.Failed) throw ack.ToException(operation);
        return entries;
    }
}
