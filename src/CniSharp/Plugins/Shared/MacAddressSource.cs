using System.Net.NetworkInformation;
using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Plugins.Shared;

/// <summary>The container MAC a runtime asked for: runtimeConfig.mac, then args.cni.mac, then CNI_ARGS MAC.</summary>
internal static class MacAddressSource
{
    public static PhysicalAddress? Resolve(NetConf conf, CniEnvArgs envArgs)
    {
        string? text = NonEmptyString(conf.RuntimeConfigMac())
            ?? NonEmptyString(conf.ArgsCniMac())
            ?? envArgs.Get("MAC");
        if (text is null) return null;
        return Parse(text);
    }

    public static PhysicalAddress Parse(string text)
    {
        // PhysicalAddress accepts "aa:bb:..", "aa-bb-.." and "aabb.."; CNI uses the colon form.
        if (text.Length == 17 && PhysicalAddress.TryParse(text, out PhysicalAddress? mac) && mac.GetAddressBytes().Length == 6)
        {
            if ((mac.GetAddressBytes()[0] & 0x01) != 0)
                throw CniException.InvalidConfig($"invalid MAC address \"{text}\": a multicast address cannot name an interface");
            return mac;
        }
        throw CniException.InvalidConfig($"invalid MAC address \"{text}\": expected six colon-separated hex bytes");
    }

    private static string? NonEmptyString(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } text ? text : null;
}
