using System.Runtime.InteropServices;
using System.Text;

namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// NFTA_SET_ELEM_USERDATA, opaque to the kernel, in the TLV layout nft reads (libnftnl udata: u8 type, u8 length,
/// value): NFTNL_UDATA_SET_ELEM_COMMENT (a NUL-terminated string nft prints as comment "...") and
/// NFTNL_UDATA_SET_ELEM_FLAGS (nft's "this interval runs to the top" mark).
/// </summary>
internal static class NftUserData
{
    private const byte CommentType = 0;    // NFTNL_UDATA_SET_ELEM_COMMENT
    private const byte FlagsType = 1;      // NFTNL_UDATA_SET_ELEM_FLAGS
    private const uint IntervalOpenFlag = 1; // NFTNL_SET_ELEM_F_INTERVAL_OPEN

    /// <summary>The longest comment a TLV holds: its length byte counts the NUL.</summary>
    public const int MaxCommentBytes = 254;

    public static void WriteElement(NetlinkMessageWriter w, NftElement element)
    {
        int commentBytes = element.Comment is { } comment ? Encoding.UTF8.GetByteCount(comment) : -1;
        if (commentBytes > MaxCommentBytes)
            throw new ArgumentException($"element comment of {commentBytes} bytes is longer than {MaxCommentBytes}");
        int length = (commentBytes >= 0 ? 2 + commentBytes + 1 : 0) + (element.IntervalOpen ? 2 + 4 : 0);
        if (length == 0) return;
        Span<byte> data = w.WriteRaw(NftSetElemAttr.UserData, length);
        if (commentBytes >= 0)
        {
            data[0] = CommentType;
            data[1] = (byte)(commentBytes + 1);
            Encoding.UTF8.GetBytes(element.Comment, data[2..]);
            data = data[(2 + commentBytes + 1)..];
        }
        if (element.IntervalOpen)
        {
            data[0] = FlagsType;
            data[1] = 4;
            // libnftnl writes udata integers in host order.
            uint flags = IntervalOpenFlag;
            MemoryMarshal.Write(data[2..], in flags);
        }
    }

    /// <summary>The comment of an element's user data, or null.</summary>
    public static string? ReadComment(ReadOnlySpan<byte> userData)
    {
        while (userData.Length >= 2)
        {
            byte type = userData[0];
            int length = userData[1];
            if (2 + length > userData.Length) return null;
            ReadOnlySpan<byte> value = userData.Slice(2, length);
            if (type == CommentType)
            {
                int nul = value.IndexOf((byte)0);
                return Encoding.UTF8.GetString(nul < 0 ? value : value[..nul]);
            }
            userData = userData[(2 + length)..];
        }
        return null;
    }
}
