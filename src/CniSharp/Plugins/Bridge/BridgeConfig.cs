using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Pods;

namespace CniSharp.Plugins.Bridge;

/// <summary>Reads and validates a cnisharp-bridge configuration; one message per rule.</summary>
internal static class BridgeConfig
{
    public static BridgeNetConf Load(PluginRequest request) =>
        MainPluginConfig.Load(request.Config, BridgeJsonContext.Default.BridgeNetConf, PluginTypes.Bridge, Validate);

    public static void Validate(BridgeNetConf conf)
    {
        if (!InterfaceName.IsValid(conf.BridgeName))
            throw CniException.InvalidConfig($"invalid bridge name \"{conf.BridgeName}\": a link name has 1-15 characters and no '/', ':' or whitespace");
        MainPluginConfig.Validate(conf);
        if (conf.Vlan < 0 || conf.Vlan > 4094)
            throw CniException.InvalidConfig($"invalid vlan {conf.Vlan}: must be between 0 and 4094");
        if (conf.HairpinMode && conf.PromiscMode)
            throw CniException.InvalidConfig("hairpinMode and promiscMode cannot both be true: choose one");
        if (conf.DisableContainerInterface && conf.IsLayer3)
            throw CniException.InvalidConfig("disableContainerInterface cannot be combined with IPAM: a down interface cannot carry addresses");
    }

    /// <summary>
    /// Keys CniSharp reads but does not implement yet. Only ADD refuses them (code 2; STATUS says 50): DEL, CHECK and
    /// GC of such a config have nothing of theirs to undo, and a DEL must succeed after the failed ADD.
    /// </summary>
    public static void RefuseUnimplemented(BridgeNetConf conf, CniErrorCode code = CniErrorCode.UnsupportedField)
    {
        MainPluginConfig.RefuseIpMasq(conf, code);
        if (conf.MacSpoofCheck)
            throw new CniException(code,
                "unsupported field \"macspoofchk\": true: MAC spoof checking is not implemented in this CniSharp version; set it to false");
    }

    /// <summary>True when the configuration asks for VLAN tagging in any form.</summary>
    public static bool WantsVlan(BridgeNetConf conf) =>
        conf.Vlan != 0 || conf.VlanTrunk is { ValueKind: JsonValueKind.Array } trunk && trunk.GetArrayLength() > 0;
}
