using System.Net.NetworkInformation;
using CniSharp.Interop;

namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    /// <summary>Equivalent to: ip link show {name}</summary>
    public LinkInfo? GetLink(string name)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.GetLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg());
        w.WriteUInt32(LinkAttr.ExtMask, RouteConstants.RTEXT_FILTER_SKIP_STATS);
        w.WriteString(LinkAttr.IfName, name);
        return QuerySingleLink(w, $"get link \"{name}\"");
    }

    /// <summary>Equivalent to: ip link show (by index)</summary>
    public LinkInfo? GetLink(int index)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.GetLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Index = index });
        w.WriteUInt32(LinkAttr.ExtMask, RouteConstants.RTEXT_FILTER_SKIP_STATS);
        return QuerySingleLink(w, $"get link {index}");
    }

    /// <summary>Equivalent to: ip link show</summary>
    public IReadOnlyList<LinkInfo> ListLinks()
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.GetLink, NlmFlags.Dump);
        w.WriteHeader(new IfInfoMsg());
        w.WriteUInt32(LinkAttr.ExtMask, RouteConstants.RTEXT_FILTER_SKIP_STATS);
        var links = new List<LinkInfo>();
        NetlinkAck ack = _session.Query(w, 0, LinkParser.TryParse, links);
        if (ack.Failed) throw ack.ToException("list links");
        return links;
    }

    /// <summary>Equivalent to: ip link add {name} [mtu N] type bridge [vlan_filtering 1]</summary>
    public void AddBridge(string name, int? mtu, bool vlanFiltering)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Create | NlmFlags.Excl | NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg());
        if (mtu is int m) w.WriteUInt32(LinkAttr.Mtu, (uint)m);
        w.WriteString(LinkAttr.IfName, name);
        using (w.BeginNested(LinkAttr.LinkInfo))
        {
            w.WriteString(LinkInfoAttr.Kind, "bridge");
            if (vlanFiltering)
            {
                using (w.BeginNested(LinkInfoAttr.Data))
                    w.WriteUInt8(BridgeAttr.VlanFiltering, 1);
            }
        }
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"add bridge \"{name}\"");
    }

    /// <summary>Equivalent to: ip link add {name} [mtu N] [address M] type veth peer name {peer} [mtu N] [address M] [netns {fd}]</summary>
    public void AddVeth(VethRequest request)
    {
        using var peerNs = new DangerousFd(request.PeerNamespace);
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Create | NlmFlags.Excl | NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg());
        WriteLinkBasics(w, request.Name, request.Mtu, request.Mac);
        using (w.BeginNested(LinkAttr.LinkInfo))
        {
            w.WriteString(LinkInfoAttr.Kind, "veth");
            using (w.BeginNested(LinkInfoAttr.Data))
            using (w.BeginNested(VethAttr.Peer))
            {
                // VETH_INFO_PEER holds a whole link request of its own: an ifinfomsg, then IFLA_* attributes.
                w.WriteHeader(new IfInfoMsg());
                if (request.Mtu is int m) w.WriteUInt32(LinkAttr.Mtu, (uint)m);
                if (request.PeerMac is { } mac) w.WriteBytes(LinkAttr.Address, mac.GetAddressBytes());
                if (peerNs.IsSet) w.WriteUInt32(LinkAttr.NetNsFd, (uint)peerNs.Fd);
                w.WriteString(LinkAttr.IfName, request.PeerName);
            }
        }
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"add veth \"{request.Name}\" (peer \"{request.PeerName}\")");
    }

    /// <summary>Equivalent to: ip link del {index}</summary>
    public void DeleteLink(int index)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.DelLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Index = index });
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"delete {DescribeLink(index)}");
    }

    /// <summary>Equivalent to: ip link set {index} up|down</summary>
    public void SetLinkUp(int index, bool up = true) =>
        SetFlag(index, LinkFlags.Up, up, up ? "up" : "down");

    /// <summary>Equivalent to: ip link set {index} promisc on|off</summary>
    public void SetPromiscuous(int index, bool on) =>
        SetFlag(index, LinkFlags.Promisc, on, on ? "promisc on" : "promisc off");

    /// <summary>Equivalent to: ip link set {index} master {masterIndex}</summary>
    public void SetMaster(int index, int masterIndex)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Index = index });
        w.WriteUInt32(LinkAttr.Master, (uint)masterIndex);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"set {DescribeLink(index)} master {DescribeLink(masterIndex)}");
    }

    /// <summary>Equivalent to: ip link set {index} mtu {mtu}</summary>
    public void SetMtu(int index, int mtu)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Index = index });
        w.WriteUInt32(LinkAttr.Mtu, (uint)mtu);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"set {DescribeLink(index)} mtu {mtu}");
    }

    /// <summary>Equivalent to: ip link set {index} address {mac}</summary>
    public void SetMacAddress(int index, PhysicalAddress mac)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Index = index });
        w.WriteBytes(LinkAttr.Address, mac.GetAddressBytes());
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"set {DescribeLink(index)} address {mac}");
    }

    /// <summary>Equivalent to: ip link set {index} alias {alias}</summary>
    public void SetAlias(int index, string alias)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Index = index });
        // The kernel stores nla_len bytes as the alias; like ip(8), send no NUL (an empty alias clears it).
        w.WriteString(LinkAttr.IfAlias, alias, nulTerminated: false);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"set {DescribeLink(index)} alias \"{alias}\"");
    }

    private void SetFlag(int index, LinkFlags flag, bool on, string verb)
    {
        // ifi_change selects the flags this request touches; the others keep their value.
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg { Index = index, Flags = on ? flag : LinkFlags.None, Change = flag });
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"set {DescribeLink(index)} {verb}");
    }

    private static void WriteLinkBasics(NetlinkMessageWriter w, string name, int? mtu, PhysicalAddress? mac)
    {
        if (mtu is int m) w.WriteUInt32(LinkAttr.Mtu, (uint)m);
        if (mac is not null) w.WriteBytes(LinkAttr.Address, mac.GetAddressBytes());
        w.WriteString(LinkAttr.IfName, name);
    }

    private LinkInfo? QuerySingleLink(NetlinkMessageWriter w, string operation)
    {
        NetlinkAck ack = _session.Query(w, 0, LinkParser.TryParse, _linkScratch);
        if (ack.Errno == (int)Errno.ENODEV) return null;
        if (ack.Failed) throw ack.ToException(operation);
        LinkInfo? link = _linkScratch.Count > 0 ? _linkScratch[0] : null;
        _linkScratch.Clear();
        return link;
    }
}
