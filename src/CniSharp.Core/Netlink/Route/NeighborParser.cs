using System.Net;
using System.Net.NetworkInformation;

namespace CniSharp.Netlink.Route;

/// <summary>RTM_NEWNEIGH → <see cref="NeighborInfo"/>, for neighbours and FDB entries alike.</summary>
internal static class NeighborParser
{
    /// <summary>Parses an RTM_NEWNEIGH of the filter's link and family.</summary>
    public static bool TryParse(NetlinkMessage message, in (int Index, byte Family) filter, out NeighborInfo entry)
    {
        entry = null!;
        if (!message.Is(RtmType.NewNeigh))
            return false;
        NdMsg header = message.ReadHeader<NdMsg>();
        if (header.Index != filter.Index || header.Family != filter.Family)
            return false;

        IPAddress? address = null;
        PhysicalAddress? mac = null;
        NetlinkAttributeReader attributes = message.Attributes<NdMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            switch ((NeighborAttr)attribute.Type)
            {
                case NeighborAttr.Dst: address = attribute.GetAddress(); break;
                case NeighborAttr.LinkLayerAddress: mac = attribute.GetPhysicalAddress(); break;
            }
        }
        entry = new NeighborInfo(header.Index, address, mac, header.State, header.Flags);
        return true;
    }
}
