using System.Buffers.Binary;
using System.Text;

namespace CniSharp.Tests.Netlink.Netfilter;

/// <summary>
/// Puts an nf_tables message in the form the golden tests compare: nfgenmsg, then the attribute tree re-encoded
/// with zeroed padding (nft leaves stale bytes there), without the attributes nft adds for its own bookkeeping
/// that CniSharp deliberately leaves out — the set ids of lookups and element lists (CniSharp names every set),
/// a new set's id (numbered per transaction, so it differs as soon as one batch makes two sets) and its user
/// data (nft's display hints). Everything else must be byte for byte what nft sends.
/// </summary>
internal static class NftMessageShape
{
    private const ushort Nested = 0x8000;

    public static string Of(ushort type, ReadOnlySpan<byte> payload)
    {
        var output = new List<byte>(payload[..4].ToArray());
        Reencode(payload[4..], output, Dropped(type), parentExpression: null);
        return Convert.ToHexString(output.ToArray());
    }

    private static Func<ushort, string?, bool> Dropped(ushort type) => type switch
    {
        0x0a09 => (attr, _) => attr is 10 or 13,              // NEWSET: NFTA_SET_ID, NFTA_SET_USERDATA
        0x0a0c or 0x0a0d or 0x0a0e => (attr, _) => attr == 4, // *SETELEM: NFTA_SET_ELEM_LIST_SET_ID
        _ => (_, _) => false,
    };

    private static void Reencode(ReadOnlySpan<byte> attributes, List<byte> output, Func<ushort, string?, bool> dropTopLevel, string? parentExpression)
    {
        string? expressionName = null;
        while (attributes.Length >= 4)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            ushort rawType = BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]);
            ReadOnlySpan<byte> value = attributes[4..length];
            ushort type = (ushort)(rawType & 0x3fff);
            attributes = attributes[Math.Min(attributes.Length, (length + 3) & ~3)..];

            if (dropTopLevel(type, null)) continue;
            // NFTA_LOOKUP_SET_ID inside a lookup expression's NFTA_EXPR_DATA.
            if (parentExpression == "lookup" && type == 4) continue;
            if (type == 1 && (rawType & Nested) == 0 && parentExpression is null)
                expressionName ??= AsName(value);

            int start = output.Count;
            output.AddRange([0, 0, (byte)rawType, (byte)(rawType >> 8)]);
            if ((rawType & Nested) != 0)
                Reencode(value, output, (_, _) => false, type == 2 && expressionName is not null ? expressionName : null);
            else
                output.AddRange(value.ToArray());
            int written = output.Count - start;
            output[start] = (byte)written;
            output[start + 1] = (byte)(written >> 8);
            while (output.Count % 4 != 0) output.Add(0);
        }
    }

    // NFTA_EXPR_NAME of an expression list element: a short NUL-terminated word ("lookup", "meta", ...).
    private static string? AsName(ReadOnlySpan<byte> value)
    {
        int nul = value.IndexOf((byte)0);
        if (nul <= 0 || nul > 12) return null;
        foreach (byte b in value[..nul])
            if (b is < (byte)'a' or > (byte)'z') return null;
        return Encoding.ASCII.GetString(value[..nul]);
    }
}
