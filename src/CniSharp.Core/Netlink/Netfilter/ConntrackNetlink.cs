using System.Net;
using System.Net.Sockets;

namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// The conntrack table over NETLINK_NETFILTER (ctnetlink). Acts on the network namespace it was opened in.
/// </summary>
internal sealed class ConntrackNetlink : IDisposable
{
    private readonly NetfilterNetlink _nf;
    private readonly bool _ownsSocket;

    internal ConntrackNetlink(NetfilterNetlink nf, bool ownsSocket = true)
    {
        _nf = nf;
        _ownsSocket = ownsSocket;
    }

    public static ConntrackNetlink Open() => new(NetfilterNetlink.Open());

    /// <summary>
    /// Conntrack over the socket <paramref name="nft"/> already holds (NETLINK_NETFILTER carries both): one
    /// socket to close, which matters because closing one waits for nf_tables' pending frees.
    /// </summary>
    public static ConntrackNetlink Over(NfTables nft) => new(nft.Netlink, ownsSocket: false);

    /// <summary>
    /// Equivalent to: conntrack -D -f {family} -p {protocol} --orig-port-dst {port} [--orig-dst {destination}],
    /// in one request the kernel filters (CTA_FILTER): every entry whose original direction went to that port
    /// (and address) is removed, so the next packet is looked at — and translated — afresh.
    /// </summary>
    public void DeleteFlowsTo(AddressFamily family, byte protocol, ushort port, IPAddress? destination = null)
    {
        bool v4 = family == AddressFamily.InterNetwork;
        NetlinkMessageWriter w = _nf.Begin(CtnlMsgType.Delete, v4 ? NfProto.Ipv4 : NfProto.Ipv6, NlmFlags.None);
        using (w.BeginNested(CtaAttr.TupleOrig, nestedFlag: true))
        {
            if (destination is not null)
            {
                using (w.BeginNested(CtaTupleAttr.Ip, nestedFlag: true))
                    w.WriteAddress(v4 ? CtaIpAttr.V4Dst : CtaIpAttr.V6Dst, destination);
            }
            using (w.BeginNested(CtaTupleAttr.Proto, nestedFlag: true))
            {
                w.WriteUInt8(CtaProtoAttr.Num, protocol);
                w.WriteUInt16BigEndian(CtaProtoAttr.DstPort, port);
            }
        }
        CtaFilterFlags match = CtaFilterFlags.ProtoNum | CtaFilterFlags.ProtoDstPort | (destination is null ? 0 : CtaFilterFlags.IpDst);
        using (w.BeginNested(CtaAttr.Filter, nestedFlag: true))
            w.WriteUInt32(CtaFilterAttr.OrigFlags, (uint)match);
        NetlinkAck ack = _nf.Execute(w);
        // ENOENT: nothing matched, which is what we wanted.
        if (ack.Failed && ack.Errno != (int)Interop.Errno.ENOENT)
            throw ack.ToException($"delete conntrack entries to {(destination is null ? "" : destination + " ")}port {port}/{protocol}");
    }

    public void Dispose()
    {
        if (_ownsSocket) _nf.Dispose();
    }
}
