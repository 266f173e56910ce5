using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace CniSharp.Ip;

/// <summary>
/// An address together with a prefix length, e.g. "10.1.2.3/24". Unlike <see cref="IPNetwork"/> it keeps
/// host bits, which is what CNI's <c>ips[].address</c> and the kernel's IFA_ADDRESS carry.
/// </summary>
internal readonly record struct IPPrefix(IPAddress Address, int PrefixLength)
{
    public AddressFamily Family => Address.AddressFamily;

    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;

    public int MaxPrefixLength => IsIPv4 ? 32 : 128;

    /// <summary>The network this address lies in ("10.1.2.0/24" for "10.1.2.3/24").</summary>
    public IPPrefix Network => new(IPAddressMath.Mask(Address, PrefixLength), PrefixLength);

    public bool Contains(IPAddress address) =>
        address.AddressFamily == Address.AddressFamily &&
        IPAddressMath.Mask(address, PrefixLength).Equals(IPAddressMath.Mask(Address, PrefixLength));

    public override string ToString() => $"{Address}/{PrefixLength}";

    public static IPPrefix Parse(string text) =>
        TryParse(text, out IPPrefix prefix) ? prefix : throw new FormatException($"invalid CIDR address: {text}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out IPPrefix prefix)
    {
        prefix = default;
        if (string.IsNullOrEmpty(text)) return false;
        int slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1) return false;
        if (!IPAddress.TryParse(text.AsSpan(0, slash), out IPAddress? address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) return false;
        if (text.IndexOf(':') < 0 && address.AddressFamily != AddressFamily.InterNetwork) return false;
        ReadOnlySpan<char> bits = text.AsSpan(slash + 1);
        if (bits.Length > 3 || !int.TryParse(bits, System.Globalization.NumberStyles.None, null, out int length)) return false;
        if (length > (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)) return false;
        prefix = new IPPrefix(IPAddressMath.Canonical(address), length);
        return true;
    }
}
