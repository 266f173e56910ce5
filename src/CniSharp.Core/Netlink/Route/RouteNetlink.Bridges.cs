namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    /// <summary>Equivalent to: ip link set {bridge} type bridge vlan_filtering 1|0</summary>
    public void SetBridgeVlanFiltering(int bridgeIndex, bool on)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Index = bridgeIndex });
        using (w.BeginNested(LinkAttr.LinkInfo))
        {
            w.WriteString(LinkInfoAttr.Kind, "bridge");
            using (w.BeginNested(LinkInfoAttr.Data))
                w.WriteUInt8(BridgeAttr.VlanFiltering, on ? (byte)1 : (byte)0);
        }
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"set {DescribeLink(bridgeIndex)} vlan_filtering {(on ? 1 : 0)}");
    }

    /// <summary>Equivalent to: bridge link set dev {index} [hairpin on|off] [isolated on|off]</summary>
    public void SetBridgePort(int index, bool? hairpin = null, bool? isolated = null)
    {
        // AF_BRIDGE routes RTM_SETLINK to the bridge driver (br_setlink), which reads IFLA_PROTINFO as
        // IFLA_BRPORT_* only when NLA_F_NESTED is set, and as a bare STP state byte otherwise.
        NetlinkMessageWriter w = _session.Begin(RtmType.SetLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Family = NetlinkConstants.AF_BRIDGE, Index = index });
        using (w.BeginNested(LinkAttr.ProtInfo, nestedFlag: true))
        {
            if (hairpin is bool h) w.WriteUInt8(BridgePortAttr.Mode, h ? (byte)1 : (byte)0);
            if (isolated is bool i) w.WriteUInt8(BridgePortAttr.Isolated, i ? (byte)1 : (byte)0);
        }
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"set bridge port {DescribeLink(index)}{OnOff(" hairpin", hairpin)}{OnOff(" isolated", isolated)}");
    }

    private static string OnOff(string name, bool? value) =>
        value is bool on ? (on ? name + " on" : name + " off") : "";
}
