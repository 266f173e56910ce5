using System.Net.Sockets;

namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    /// <summary>Equivalent to: ip link add {name} [mtu N] [address M] type vxlan id {vni} [dev {parent}] [local {ip}] nolearning|learning dstport {port}</summary>
    public void AddVxlan(VxlanRequest request)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewLink, NlmFlags.Create | NlmFlags.Excl | NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg());
        WriteLinkBasics(w, request.Name, request.Mtu, request.Mac);
        using (w.BeginNested(LinkAttr.LinkInfo))
        {
            w.WriteString(LinkInfoAttr.Kind, "vxlan");
            using (w.BeginNested(LinkInfoAttr.Data))
            {
                if (request.ParentIndex is int parent) w.WriteUInt32(VxlanAttr.Link, (uint)parent);
                w.WriteUInt32(VxlanAttr.Id, request.Vni);
                if (request.Local is { } local)
                    w.WriteAddress(local.AddressFamily == AddressFamily.InterNetwork ? VxlanAttr.Local : VxlanAttr.Local6, local);
                w.WriteUInt8(VxlanAttr.Learning, request.Learning ? (byte)1 : (byte)0);
                // The UDP port travels in network byte order, unlike the other IFLA_VXLAN_* integers.
                w.WriteUInt16BigEndian(VxlanAttr.Port, request.Port);
            }
        }
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"add vxlan \"{request.Name}\" id {request.Vni}");
    }
}
