using System.Net;
using System.Net.Sockets;
using CniSharp.Ip;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// One allocation pool: a subnet and the inclusive [RangeStart, RangeEnd] inside it, plus the gateway that is
/// never handed out. Built unvalidated from JSON; <see cref="Canonicalize"/> fills the defaults and validates.
/// </summary>
internal sealed class Range
{
    public Range(IPPrefix subnet, IPAddress? rangeStart = null, IPAddress? rangeEnd = null, IPAddress? gateway = null)
    {
        Subnet = subnet;
        RangeStart = rangeStart ?? IPAddress.None;
        RangeEnd = rangeEnd ?? IPAddress.None;
        Gateway = gateway ?? IPAddress.None;
        _hasStart = rangeStart is not null;
        _hasEnd = rangeEnd is not null;
        _hasGateway = gateway is not null;
    }

    private readonly bool _hasStart, _hasEnd, _hasGateway;

    public IPPrefix Subnet { get; }

    public IPAddress RangeStart { get; private set; }

    public IPAddress RangeEnd { get; private set; }

    public IPAddress Gateway { get; private set; }

    public AddressFamily Family => Subnet.Family;

    internal UInt128 Start { get; private set; }

    internal UInt128 End { get; private set; }

    internal UInt128 GatewayValue { get; private set; }

    /// <summary>
    /// Fills the reference defaults: gateway = network+1; start = network+1 (it collides with the default gateway,
    /// which the iterator skips, so moving the gateway makes .1 allocatable); end = broadcast−1 for IPv4 and
    /// the last address for IPv6. Throws <see cref="RangeException"/> with one message per broken rule.
    /// </summary>
    public void Canonicalize()
    {
        int bits = Subnet.MaxPrefixLength;
        // A /31 or /32 (/127, /128) leaves no address once the network, gateway and broadcast are set aside.
        if (Subnet.PrefixLength > bits - 2)
            throw new RangeException($"Network {Subnet} too small to allocate from");
        IPAddress network = IPAddressMath.Mask(Subnet.Address, Subnet.PrefixLength);
        if (!network.Equals(Subnet.Address))
            throw new RangeException(
                $"Network has host bits set. For a subnet mask of length {Subnet.PrefixLength} the network address is {IpText.Format(network)}");

        IPAddress first = IPAddressMath.Next(network);
        IPAddress last = IPAddressMath.LastAddress(Subnet);
        if (Subnet.IsIPv4) last = IPAddressMath.Previous(last);

        Gateway = _hasGateway ? IPAddressMath.Canonical(Gateway) : first;
        RangeStart = _hasStart ? IPAddressMath.Canonical(RangeStart) : first;
        RangeEnd = _hasEnd ? IPAddressMath.Canonical(RangeEnd) : last;

        if (!Subnet.Contains(RangeStart))
            throw new RangeException($"RangeStart {IpText.Format(RangeStart)} not in network {Subnet}");
        if (!Subnet.Contains(RangeEnd))
            throw new RangeException($"RangeEnd {IpText.Format(RangeEnd)} not in network {Subnet}");
        if (IPAddressMath.Compare(RangeStart, RangeEnd) > 0)
            throw new RangeException($"RangeEnd {IpText.Format(RangeEnd)} is before RangeStart {IpText.Format(RangeStart)}");
        if (!Subnet.Contains(Gateway))
            throw new RangeException($"Gateway {IpText.Format(Gateway)} not in network {Subnet}");

        Start = IPAddressMath.ToInteger(RangeStart);
        End = IPAddressMath.ToInteger(RangeEnd);
        GatewayValue = IPAddressMath.ToInteger(Gateway);
    }

    /// <summary>True when the address is of this family, inside the subnet and within [RangeStart, RangeEnd].</summary>
    public bool Contains(IPAddress address)
    {
        address = IPAddressMath.Canonical(address);
        if (address.AddressFamily != Family) return false;
        UInt128 value = IPAddressMath.ToInteger(address);
        return value >= Start && value <= End;
    }

    /// <summary>Two ranges overlap when either holds an end point of the other (the reference's test).</summary>
    public bool Overlaps(Range other) =>
        Family == other.Family &&
        (Contains(other.RangeStart) || Contains(other.RangeEnd) || other.Contains(RangeStart) || other.Contains(RangeEnd));

    /// <summary>How many addresses the iterator can hand out (the gateway is skipped when inside the range).</summary>
    public UInt128 AllocatableCount =>
        End - Start + 1 - (GatewayValue >= Start && GatewayValue <= End ? UInt128.One : UInt128.Zero);

    public override string ToString() => $"{IpText.Format(RangeStart)}-{IpText.Format(RangeEnd)}";
}

/// <summary>A range or range set that fails validation; the config loader turns it into code 7.</summary>
internal sealed class RangeException(string message) : Exception(message);
