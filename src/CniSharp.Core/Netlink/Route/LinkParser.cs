using System.Net.NetworkInformation;

namespace CniSharp.Netlink.Route;

/// <summary>RTM_NEWLINK → <see cref="LinkInfo"/>.</summary>
internal static class LinkParser
{
    /// <summary>Parses an RTM_NEWLINK; <paramref name="index"/> 0 accepts every link.</summary>
    public static bool TryParse(NetlinkMessage message, in int index, out LinkInfo link)
    {
        link = null!;
        if (!message.Is(RtmType.NewLink))
            return false;
        IfInfoMsg header = message.ReadHeader<IfInfoMsg>();
        if (index != 0 && header.Index != index)
            return false;

        var fields = new Fields();
        NetlinkAttributeReader attributes = message.Attributes<IfInfoMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            switch ((LinkAttr)attribute.Type)
            {
                case LinkAttr.IfName: fields.Name = attribute.GetString(); break;
                case LinkAttr.Mtu: fields.Mtu = attribute.GetInt32(); break;
                case LinkAttr.Address: fields.Mac = attribute.GetPhysicalAddress(); break;
                case LinkAttr.OperState: fields.OperState = (OperState)attribute.GetUInt8(); break;
                case LinkAttr.Master: fields.Master = attribute.GetInt32(); break;
                case LinkAttr.Link: fields.Parent = attribute.GetInt32(); break;
                case LinkAttr.IfAlias: fields.Alias = attribute.GetString(); break;
                case LinkAttr.LinkInfo: ParseLinkInfo(attribute.Nested, ref fields); break;
            }
        }

        link = new LinkInfo
        {
            Index = header.Index,
            Name = fields.Name ?? "",
            Kind = fields.Kind,
            Mac = fields.Mac,
            Mtu = fields.Mtu,
            Flags = header.Flags,
            OperState = fields.OperState,
            MasterIndex = fields.Master,
            ParentIndex = fields.Parent,
            Alias = fields.Alias,
            Hairpin = fields.Hairpin,
            Isolated = fields.Isolated,
            VlanFiltering = fields.VlanFiltering,
        };
        return true;
    }

    /// <summary>Reads only ifi_index and IFLA_OPERSTATE, for link notifications.</summary>
    public static bool TryReadOperState(NetlinkMessage message, out int index, out OperState state)
    {
        index = 0;
        state = OperState.Unknown;
        if (!message.Is(RtmType.NewLink))
            return false;
        index = message.ReadHeader<IfInfoMsg>().Index;
        NetlinkAttributeReader attributes = message.Attributes<IfInfoMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type == (ushort)LinkAttr.OperState)
            {
                state = (OperState)attribute.GetUInt8();
                return true;
            }
        }
        return false;
    }

    // IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA }: the kernel
    // writes each KIND before its DATA (rtnl_link_info_fill), so the kind is known when the data arrives.
    private static void ParseLinkInfo(NetlinkAttributeReader info, ref Fields fields)
    {
        bool slaveOfBridge = false;
        while (info.TryRead(out NetlinkAttribute attribute))
        {
            switch ((LinkInfoAttr)attribute.Type)
            {
                case LinkInfoAttr.Kind:
                    fields.Kind = KnownKind(attribute);
                    break;
                case LinkInfoAttr.Data when fields.Kind == "bridge":
                    ParseBridge(attribute.Nested, ref fields);
                    break;
                case LinkInfoAttr.SlaveKind:
                    slaveOfBridge = attribute.StringEquals("bridge"u8);
                    break;
                case LinkInfoAttr.SlaveData when slaveOfBridge:
                    ParseBridgePort(attribute.Nested, ref fields);
                    break;
            }
        }
    }

    private static void ParseBridge(NetlinkAttributeReader data, ref Fields fields)
    {
        while (data.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type == (ushort)BridgeAttr.VlanFiltering)
                fields.VlanFiltering = attribute.GetUInt8() != 0;
        }
    }

    private static void ParseBridgePort(NetlinkAttributeReader data, ref Fields fields)
    {
        while (data.TryRead(out NetlinkAttribute attribute))
        {
            switch ((BridgePortAttr)attribute.Type)
            {
                case BridgePortAttr.Mode: fields.Hairpin = attribute.GetUInt8() != 0; break;
                case BridgePortAttr.Isolated: fields.Isolated = attribute.GetUInt8() != 0; break;
            }
        }
    }

    // The common kinds come back as literals, sparing an allocation per link in dumps.
    private static string KnownKind(NetlinkAttribute attribute) =>
        attribute.StringEquals("veth"u8) ? "veth"
        : attribute.StringEquals("bridge"u8) ? "bridge"
        : attribute.GetString();

    private struct Fields
    {
        public string? Name;
        public string? Kind;
        public PhysicalAddress? Mac;
        public int Mtu;
        public OperState OperState;
        public int? Master;
        public int? Parent;
        public string? Alias;
        public bool? Hairpin;
        public bool? Isolated;
        public bool? VlanFiltering;
    }
}
