using System.Runtime.CompilerServices;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Tests.Netlink;

/// <summary>Kernel replies, built byte for byte as the kernel lays them out (netlink_ack, netlink_dump_done).</summary>
internal static class Replies
{
    public static byte[] Ack(uint seq) => Error(seq, 0);

    /// <summary>
    /// An NLMSG_ERROR. Capped echoes only the request header (NETLINK_CAP_ACK); otherwise the whole request
    /// of <paramref name="requestPayloadLength"/> bytes is echoed. Text goes in NLMSGERR_ATTR_MSG.
    /// </summary>
    public static byte[] Error(uint seq, int errno, string? extAck = null, bool capped = true, int requestPayloadLength = 16)
    {
        var w = new NetlinkMessageWriter();
        NlmFlags flags = (capped ? NlmFlags.Capped : 0) | (extAck is null ? 0 : NlmFlags.AckTlvs);
        w.Begin(NlMsgType.Error, flags);
        int requestLength = Unsafe.SizeOf<NlMsgHdr>() + requestPayloadLength;
        w.WriteHeader(new NlMsgErr
        {
            Error = -errno,
            Request = new NlMsgHdr { Length = (uint)requestLength, Type = (ushort)RtmType.NewLink, Flags = NlmFlags.Request | NlmFlags.Ack, Sequence = seq },
        });
        if (!capped)
        {
            // The echoed request payload: bytes that would confuse a parser that forgot to skip them.
            for (int i = 0; i < requestPayloadLength / 8; i++)
                w.WriteUInt32(NlMsgErrAttr.Msg, 0xdeadbeef);
        }
        if (extAck is not null)
            w.WriteString(NlMsgErrAttr.Msg, extAck);
        return w.Complete(seq, 0).ToArray();
    }

    public static byte[] Done(uint seq, NlmFlags flags = NlmFlags.Multi, int errno = 0)
    {
        var w = new NetlinkMessageWriter();
        w.Begin(NlMsgType.Done, flags);
        w.WriteHeader(-errno);
        return w.Complete(seq, 0).ToArray();
    }

    /// <summary>A minimal RTM_NEWLINK: ifinfomsg + IFLA_IFNAME.</summary>
    public static byte[] NewLink(uint seq, int index, string name, NlmFlags flags = NlmFlags.Multi)
    {
        var w = new NetlinkMessageWriter();
        w.Begin(RtmType.NewLink, flags);
        w.WriteHeader(new IfInfoMsg { Index = index });
        w.WriteString(LinkAttr.IfName, name);
        return w.Complete(seq, 0).ToArray();
    }

    /// <summary>A captured reply with the nlmsg_seq of each of its messages rewritten to answer the current request.</summary>
    public static byte[] WithSequence(byte[] captured, uint seq)
    {
        byte[] copy = (byte[])captured.Clone();
        for (int offset = 0; offset + 16 <= copy.Length; offset += (BitConverter.ToInt32(copy, offset) + 3) & ~3)
            BitConverter.TryWriteBytes(copy.AsSpan(offset + 8, 4), seq);
        return copy;
    }

    /// <summary>Several messages in one datagram, as the kernel packs dump replies.</summary>
    public static byte[] Datagram(params byte[][] messages) => messages.SelectMany(m => m).ToArray();
}
