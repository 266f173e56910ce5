namespace CniSharp.Netlink.Route;

/// <summary>RTM_NEWLINK of a vxlan link → <see cref="VxlanLinkInfo"/>; any other kind is not parsed.</summary>
internal static class VxlanLinkParser
{
    public static bool TryParse(NetlinkMessage message, in int unused, out VxlanLinkInfo link)
    {
        link = null!;
        if (!message.Is(RtmType.NewLink))
            return false;
        IfInfoMsg header = message.ReadHeader<IfInfoMsg>();
        var info = new VxlanLinkInfo { Index = header.Index, Name = "", Flags = header.Flags };
        bool isVxlan = false;
        NetlinkAttributeReader attributes = message.Attributes<IfInfoMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            switch ((LinkAttr)attribute.Type)
            {
                case LinkAttr.IfName: info = info with { Name = attribute.GetString() }; break;
                case LinkAttr.Mtu: info = info with { Mtu = attribute.GetInt32() }; break;
                case LinkAttr.Address: info = info with { Mac = attribute.GetPhysicalAddress() }; break;
                case LinkAttr.LinkInfo: isVxlan = ParseLinkInfo(attribute.Nested, ref info); break;
            }
        }
        link = info;
        return isVxlan;
    }

    // The kernel writes IFLA_INFO_KIND before IFLA_INFO_DATA (rtnl_link_info_fill).
    private static bool ParseLinkInfo(NetlinkAttributeReader linkInfo, ref VxlanLinkInfo info)
    {
        bool isVxlan = false;
        while (linkInfo.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type == (ushort)LinkInfoAttr.Kind)
            {
                isVxlan = attribute.StringEquals("vxlan"u8);
            }
            else if (attribute.Type == (ushort)LinkInfoAttr.Data && isVxlan)
            {
                NetlinkAttributeReader data = attribute.Nested;
                while (data.TryRead(out NetlinkAttribute a))
                {
                    switch ((VxlanAttr)a.Type)
                    {
                        case VxlanAttr.Id: info = info with { Vni = a.GetUInt32() }; break;
                        case VxlanAttr.Link: info = info with { ParentIndex = a.GetInt32() }; break;
                        case VxlanAttr.Local or VxlanAttr.Local6: info = info with { Local = a.GetAddress() }; break;
                        case VxlanAttr.Learning: info = info with { Learning = a.GetUInt8() != 0 }; break;
                        case VxlanAttr.Port: info = info with { Port = a.GetUInt16BigEndian() }; break;
                    }
                }
            }
        }
        return isVxlan;
    }
}
