using System.Net.Sockets;
using CniSharp.Ip;

namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    /// <summary>Equivalent to: ip addr show [dev {index}] (-4 / -6 by family)</summary>
    public IReadOnlyList<AddressInfo> ListAddresses(int? index = null, AddressFamily family = AddressFamily.Unspecified)
    {
        // A dump with ifa_family set is answered by that family alone; AF_UNSPEC walks them all.
        NetlinkMessageWriter w = _session.Begin(RtmType.GetAddr, NlmFlags.Dump);
        w.WriteHeader(new IfAddrMsg { Family = FamilyOf(family) });
        var addresses = new List<AddressInfo>();
        NetlinkAck ack = _session.Query(w, (index, family), AddressParser.TryParse, addresses);
        if (ack.Failed) throw ack.ToException(index is int i ? $"list addresses of {DescribeLink(i)}" : "list addresses");
        return addresses;
    }

    /// <summary>Equivalent to: ip addr add {address} [broadcast +] dev {index} [nodad]</summary>
    public void AddAddress(int index, IPPrefix address, AddressFlags flags = AddressFlags.None)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.NewAddr, NlmFlags.Create | NlmFlags.Excl | NlmFlags.Ack);
        WriteAddress(w, index, address);
        // /31 and /32 have no broadcast address (RFC 3021).
        if (address.IsIPv4 && address.PrefixLength < 31)
            w.WriteAddress(AddrAttr.Broadcast, IPAddressMath.LastAddress(address.Network));
        // IFA_FLAGS carries all 32 flag bits and overrides the 8-bit ifa_flags.
        if (flags != AddressFlags.None)
            w.WriteUInt32(AddrAttr.Flags, (uint)flags);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"add address {address} to {DescribeLink(index)}");
    }

    /// <summary>Equivalent to: ip addr del {address} dev {index}</summary>
    public void DeleteAddress(int index, IPPrefix address)
    {
        NetlinkMessageWriter w = _session.Begin(RtmType.DelAddr, NlmFlags.Ack);
        WriteAddress(w, index, address);
        NetlinkAck ack = _session.Execute(w);
        if (ack.Failed) throw ack.ToException($"delete address {address} from {DescribeLink(index)}");
    }

    private static void WriteAddress(NetlinkMessageWriter w, int index, IPPrefix address)
    {
        w.WriteHeader(new IfAddrMsg
        {
            Family = FamilyOf(address.Family),
            PrefixLength = (byte)address.PrefixLength,
            Scope = RouteScope.Universe,
            Index = index,
        });
        // IPv4 names the interface's own address IFA_LOCAL (IFA_ADDRESS would be a point-to-point peer);
        // IPv6 uses IFA_ADDRESS alone.
        if (address.IsIPv4)
            w.WriteAddress(AddrAttr.Local, address.Address);
        w.WriteAddress(AddrAttr.Address, address.Address);
    }

    private static byte FamilyOf(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => NetlinkConstants.AF_INET,
        AddressFamily.InterNetworkV6 => NetlinkConstants.AF_INET6,
        AddressFamily.Unspecified => NetlinkConstants.AF_UNSPEC,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "only IPv4, IPv6 or unspecified"),
    };
}
