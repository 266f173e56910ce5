using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using CniSharp.Interop;

namespace CniSharp.Netlink;

/// <summary>
/// How the kernel ended a request: errno 0 (ACK or NLMSG_DONE) or a failure, with extended-ack text.
/// <see cref="Message"/> says which message of a multi-message request the kernel refused (0 for a single one).
/// </summary>
internal readonly record struct NetlinkAck(int Errno, string? ExtAck = null, int Message = 0)
{
    public static NetlinkAck Success => default;

    public bool Failed => Errno != 0;

    public NetlinkException ToException(string operation) => new(operation, Errno, ExtAck);

    /// <summary>Decodes an NLMSG_ERROR: struct nlmsgerr, the echoed request unless capped, then ext-ack TLVs.</summary>
    public static NetlinkAck FromError(NetlinkMessage message, int index = 0)
    {
        NlMsgErr error = message.ReadHeader<NlMsgErr>();
        int echoed = (message.Header.Flags & NlmFlags.Capped) != 0
            ? Unsafe.SizeOf<NlMsgHdr>()
            : (int)error.Request.Length;
        int tlvStart = NetlinkMessageWriter.Align(sizeof(int) + echoed);
        return new NetlinkAck(-error.Error, ReadExtAck(message, tlvStart), index);
    }

    /// <summary>Decodes an NLMSG_DONE: an int error (a dump can fail midway), then ext-ack TLVs.</summary>
    public static NetlinkAck FromDone(NetlinkMessage message)
    {
        if (message.Payload.Length < sizeof(int))
            return Success;
        int error = BinaryPrimitives.ReadInt32LittleEndian(message.Payload);
        return error < 0 ? new NetlinkAck(-error, ReadExtAck(message, sizeof(int))) : Success;
    }

    /// <summary>A dump that kept being interrupted by concurrent changes (NLM_F_DUMP_INTR on every attempt).</summary>
    public static NetlinkAck Interrupted(int attempts) =>
        new((int)Interop.Errno.EINTR, $"dump interrupted by concurrent changes {attempts} times in a row");

    /// <summary>
    /// The kernel processed a multi-message request without answering every message that asked for an ACK:
    /// a malformed request, since it answers synchronously, before the send returns.
    /// </summary>
    public static NetlinkAck Unanswered(int missing, int first) =>
        new((int)Interop.Errno.EPROTO, $"the kernel left {missing} acknowledged message(s) unanswered", first);

    private static string? ReadExtAck(NetlinkMessage message, int tlvStart)
    {
        if ((message.Header.Flags & NlmFlags.AckTlvs) == 0 || tlvStart >= message.Payload.Length)
            return null;
        var attributes = new NetlinkAttributeReader(message.Payload[tlvStart..]);
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type == (ushort)NlMsgErrAttr.Msg)
                return attribute.GetString();
        }
        return null;
    }
}
