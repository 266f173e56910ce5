namespace CniSharp.Netlink.Netfilter;

/// <summary>NEWSETELEM (a set dump's reply) → its elements; one message carries many.</summary>
internal static class NftElementParser
{
    public static bool TryParse(NetlinkMessage message, in int _, out NftElement[] elements)
    {
        elements = [];
        if (!message.Is(NftMsgType.NewSetElem)) return false;
        var parsed = new List<NftElement>();
        NetlinkAttributeReader attributes = message.Attributes<NfGenMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type != (ushort)NftSetElemListAttr.Elements) continue;
            NetlinkAttributeReader list = attribute.Nested;
            while (list.TryRead(out NetlinkAttribute element))
                parsed.Add(ParseElement(element.Nested));
        }
        elements = parsed.ToArray();
        return true;
    }

    private static NftElement ParseElement(NetlinkAttributeReader attributes)
    {
        byte[] key = [];
        byte[]? keyEnd = null, data = null;
        var flags = NftSetElemFlags.None;
        string? comment = null;
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            switch ((NftSetElemAttr)attribute.Type)
            {
                case NftSetElemAttr.Key: key = Value(attribute); break;
                case NftSetElemAttr.KeyEnd: keyEnd = Value(attribute); break;
                case NftSetElemAttr.Data: data = Value(attribute); break;
                case NftSetElemAttr.Flags: flags = (NftSetElemFlags)attribute.GetUInt32BigEndian(); break;
                case NftSetElemAttr.UserData: comment = NftUserData.ReadComment(attribute.Value); break;
            }
        }
        return new NftElement(key) { KeyEnd = keyEnd, Data = data, Flags = flags, Comment = comment };
    }

    // NFTA_DATA_VALUE inside a key, key-end or data attribute (a verdict map's NFTA_DATA_VERDICT stays null).
    private static byte[] Value(NetlinkAttribute attribute)
    {
        NetlinkAttributeReader inner = attribute.Nested;
        while (inner.TryRead(out NetlinkAttribute value))
        {
            if (value.Type == (ushort)NftDataAttr.Value)
                return value.Value.ToArray();
        }
        return [];
    }
}
