using CniSharp.Interop;

namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    private readonly List<VxlanLinkInfo> _vxlanScratch = new(1);

    /// <summary>
    /// Equivalent to: ip -d link show {name}, for a vxlan link: VNI, port, local address, underlay, learning.
    /// Null when there is no such link or it is not a vxlan link.
    /// </summary>
    public VxlanLinkInfo? GetVxlan(string name)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.GetLink, NlmFlags.Ack);
        w.WriteHeader(new IfInfoMsg());
        w.WriteUInt32(LinkAttr.ExtMask, RouteConstants.RTEXT_FILTER_SKIP_STATS);
        w.WriteString(LinkAttr.IfName, name);
        NetlinkAck ack = _session.Query(w, 0, VxlanLinkParser.TryParse, _vxlanScratch);
        if (ack.Errno == (int)Errno.ENODEV) return null;
        if (ack.Failed) throw ack.ToException($"get vxlan link \"{name}\"");
        VxlanLinkInfo? link = _vxlanScratch.Count > 0 ? _vxlanScratch[0] : null;
        _vxlanScratch.Clear();
        return link;
    }
}
