using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Ip;
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
        if (conf.IpMasqBackend is { Length: > 0 } backend && backend is not ("nftables" or "iptables"))
            throw CniException.InvalidConfig($"invalid ipMasqBackend \"{backend}\": must be \"nftables\" (or \"iptables\", which CniSharp refuses)");
        NonMasqueradeCidrs(conf);
    }

    /// <summary>The parsed nonMasqueradeCIDRs; one bad entry is an invalid configuration (code 7).</summary>
    public static List<IPPrefix> NonMasqueradeCidrs(BridgeNetConf conf)
    {
        var cidrs = new List<IPPrefix>();
        foreach (string text in conf.NonMasqueradeCidrs ?? [])
        {
            if (!IPPrefix.TryParse(text, out IPPrefix cidr))
                throw CniException.InvalidConfig($"invalid nonMasqueradeCIDRs entry \"{text}\": expected a CIDR such as 10.244.0.0/16");
            cidrs.Add(cidr.Network);
        }
        return cidrs;
    }

    /// <summary>
    /// Values CniSharp reads but does not implement. Only ADD refuses them (code 2; STATUS says 50): DEL, CHECK and
    /// GC of such a config have nothing of theirs to undo, and a DEL must succeed after the failed ADD.
    /// </summary>
    public static void RefuseUnimplemented(BridgeNetConf conf, CniErrorCode code = CniErrorCode.UnsupportedField)
    {
        MainPluginConfig.RefuseIpMasqBackend(conf, code);
    }

    /// <summary>True when the configuration asks for VLAN tagging in any form.</summary>
    public static bool WantsVlan(BridgeNetConf conf) =>
        conf.Vlan != 0 || conf.VlanTrunk is { ValueKind: JsonValueKind.Array } trunk && trunk.GetArrayLength() > 0;
}
