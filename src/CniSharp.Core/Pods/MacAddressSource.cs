using System.Net.NetworkInformation;
using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Pods;

/// <summary>The container MAC a runtime asked for: runtimeConfig.mac, then args.cni.mac, then CNI_ARGS MAC.</summary>
internal static class MacAddressSource
{
    public static PhysicalAddress? Resolve(NetConf conf, CniEnvArgs envArgs)
    {
        string? text = NonEmptyString(conf.RuntimeConfigMac()) ?? NonEmptyString(conf.ArgsCniMac());
        if (text is not null) return Parse(text);
        // From the environment, a bad value is a bad environment variable (code 4), as a bad IP= is.
        return envArgs.Get("MAC") is string fromEnv ? Parse(fromEnv, CniErrorCode.InvalidEnvironmentVariables) : null;
    }

    public static PhysicalAddress Parse(string text, CniErrorCode code = CniErrorCode.InvalidNetworkConfig)
    {
        // PhysicalAddress accepts "aa:bb:..", "aa-bb-.." and "aabb.."; CNI uses the colon form.
        if (text.Length == 17 && PhysicalAddress.TryParse(text, out PhysicalAddress? mac) && mac.GetAddressBytes().Length == 6)
        {
            if ((mac.GetAddressBytes()[0] & 0x01) != 0)
                throw new CniException(code, $"invalid MAC address \"{text}\": a multicast address cannot name an interface");
            return mac;
        }
        throw new CniException(code, $"invalid MAC address \"{text}\": expected six colon-separated hex bytes");
    }

    private static string? NonEmptyString(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } text ? text : null;
}
