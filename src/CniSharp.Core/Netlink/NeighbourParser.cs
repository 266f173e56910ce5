using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace CniSharp.Netlink;

/// <summary>RTM_NEWNEIGH → <see cref="NeighbourInfo"/>.</summary>
internal static class NeighbourParser
{
    /// <summary>Parses an RTM_NEWNEIGH of the filter's link and family (Unspecified: any).</summary>
    public static bool TryParse(NetlinkMessage message, in (int Index, AddressFamily Family) filter, out NeighbourInfo neighbour)
    {
        neighbour = null!;
        if (message.Type != NeighbourMessages.NewNeigh)
            return false;
        NdMsg header = message.ReadHeader<NdMsg>();
        if (header.Index != filter.Index)
            return false;

        IPAddress? address = null;
        PhysicalAddress? mac = null;
        NetlinkAttributeReader attributes = message.Attributes<NdMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            switch ((NeighbourAttr)attribute.Type)
            {
                case NeighbourAttr.Dst: address = attribute.GetAddress(); break;
                case NeighbourAttr.LlAddr: mac = attribute.GetPhysicalAddress(); break;
            }
        }
        if (address is null || (filter.Family != AddressFamily.Unspecified && address.AddressFamily != filter.Family))
            return false;
        neighbour = new NeighbourInfo(header.Index, address, mac, header.State);
        return true;
    }
}
