using System.Net;
using System.Net.Sockets;
using CniSharp.Ip;

namespace CniSharp.Netlink.Route;

/// <summary>RTM_NEWADDR → <see cref="AddressInfo"/>.</summary>
internal static class AddressParser
{
    /// <summary>Parses an RTM_NEWADDR that matches the filter (index null = any link).</summary>
    public static bool TryParse(NetlinkMessage message, in (int? Index, AddressFamily Family) filter, out AddressInfo address)
    {
        address = null!;
        if (!message.Is(RtmType.NewAddr))
            return false;
        IfAddrMsg header = message.ReadHeader<IfAddrMsg>();
        if (filter.Index is int index && header.Index != index)
            return false;

        IPAddress? local = null, peer = null;
        var flags = (AddressFlags)header.Flags;
        NetlinkAttributeReader attributes = message.Attributes<IfAddrMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            switch ((AddrAttr)attribute.Type)
            {
                case AddrAttr.Local: local = attribute.GetAddress(); break;
                case AddrAttr.Address: peer = attribute.GetAddress(); break;
                case AddrAttr.Flags: flags = (AddressFlags)attribute.GetUInt32(); break;
            }
        }
        // IPv4 reports the interface's own address as IFA_LOCAL (IFA_ADDRESS is the peer on point-to-point
        // links); IPv6 sends only IFA_ADDRESS unless a peer is configured.
        IPAddress? own = local ?? peer;
        if (own is null || (filter.Family != AddressFamily.Unspecified && own.AddressFamily != filter.Family))
            return false;
        address = new AddressInfo(header.Index, new IPPrefix(own, header.PrefixLength), (byte)header.Scope, flags);
        return true;
    }
}
