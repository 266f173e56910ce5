using System.Text.Json;

namespace CniSharp.Cni;

/// <summary>
/// Raw access to the runtime-generated sections, converted by the plugin that needs them. Sources of the same
/// thing rank runtimeConfig (capabilities) &gt; args.cni &gt; CNI_ARGS (CONVENTIONS.md); these accessors only fetch.
/// </summary>
internal static class NetConfExtensions
{
    /// <summary>runtimeConfig.&lt;capability&gt;, present only when the plugin declared the capability and the runtime sent it.</summary>
    public static JsonElement? RuntimeConfigValue(this NetConf conf, string capability) => Child(conf.RuntimeConfig, capability);

    /// <summary>args.cni.&lt;key&gt; (CONVENTIONS "args in network config").</summary>
    public static JsonElement? ArgsCniValue(this NetConf conf, string key) =>
        Child(Child(conf.Args, "cni"), key);

    /// <summary>runtimeConfig.mac: "c2:11:22:33:44:55".</summary>
    public static JsonElement? RuntimeConfigMac(this NetConf conf) => conf.RuntimeConfigValue("mac");

    /// <summary>runtimeConfig.ips: ["10.1.2.3/24", "2001:db8::5"].</summary>
    public static JsonElement? RuntimeConfigIps(this NetConf conf) => conf.RuntimeConfigValue("ips");

    /// <summary>runtimeConfig.ipRanges: host-local's "ranges" shape, prepended to the configured ranges.</summary>
    public static JsonElement? RuntimeConfigIpRanges(this NetConf conf) => conf.RuntimeConfigValue("ipRanges");

    /// <summary>args.cni.mac.</summary>
    public static JsonElement? ArgsCniMac(this NetConf conf) => conf.ArgsCniValue("mac");

    /// <summary>args.cni.ips: ["10.2.2.42/24"].</summary>
    public static JsonElement? ArgsCniIps(this NetConf conf) => conf.ArgsCniValue("ips");

    /// <summary>
    /// prevResult in the newest shape, or null when none was sent. A prevResult without cniVersion is read as the
    /// config's version (Go's ParsePrevResult).
    /// </summary>
    public static CniResult? ParsePrevResult(this NetConf conf) =>
        conf.PrevResult is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } prev
            ? ResultParser.Parse(prev, conf.EffectiveVersion, "prevResult")
            : null;

    private static JsonElement? Child(JsonElement? parent, string key) =>
        parent is { ValueKind: JsonValueKind.Object } obj &&
        obj.TryGetProperty(key, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;
}
