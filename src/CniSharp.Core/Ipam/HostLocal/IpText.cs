using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CniSharp.Ip;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// Go's net.IP.String() and net.ParseIP(), because reservation file names must be byte-identical to the
/// reference store's. .NET differs in two places: it prints some IPv6 addresses with an embedded dotted
/// quad ("::1.2.3.4"), and it accepts IPv4 shorthand and leading zeros ("10.1" or "010.1.2.3") that Go rejects.
/// </summary>
internal static class IpText
{
    public static string Format(IPAddress address)
    {
        address = IPAddressMath.Canonical(address);
        if (address.AddressFamily == AddressFamily.InterNetwork) return address.ToString();

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        Span<ushort> groups = stackalloc ushort[8];
        for (int i = 0; i < 8; i++) groups[i] = (ushort)(bytes[2 * i] << 8 | bytes[2 * i + 1]);

        // RFC 5952 as Go applies it: compress the longest run (first on ties) of at least two zero groups.
        int bestStart = -1, bestLength = 0;
        for (int i = 0; i < 8;)
        {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
            i = j;
        }
        if (bestLength < 2) bestStart = -1;

        var text = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.Append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength) text.Append(':');
            text.Append(groups[i].ToString("x", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Parses an address the way Go's net.ParseIP does (no zone, no shorthand), IPv4-mapped as IPv4.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Length == 0 || text.Length > 45) return false;
        bool v6 = text.Contains(':');
        if (!v6 && !IsStrictDottedQuad(text)) return false;
        if (v6 && text.Contains('%')) return false;
        if (!IPAddress.TryParse(text, out IPAddress? parsed)) return false;
        address = IPAddressMath.Canonical(parsed);
        return true;
    }

    /// <summary>True when <paramref name="name"/> is exactly how Go would print some address: a reservation file name.</summary>
    public static bool TryParseCanonical(string name, out IPAddress address) =>
        TryParse(name, out address) && Format(address) == name;

    private static bool IsStrictDottedQuad(ReadOnlySpan<char> text)
    {
        int parts = 0, digits = 0, value = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (digits == 0 || value > 255) return false;
                parts++;
                digits = 0;
                value = 0;
                continue;
            }
            char c = text[i];
            if (c < '0' || c > '9') return false;
            if (digits > 0 && value == 0) return false; // Go rejects leading zeros ("010")
            value = value * 10 + (c - '0');
            digits++;
            if (digits > 3) return false;
        }
        return parts == 4;
    }
}
