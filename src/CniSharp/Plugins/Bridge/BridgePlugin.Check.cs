using CniSharp.Cni;
using CniSharp.Namespaces;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins.Bridge;

internal sealed partial class BridgePlugin
{
    /// <summary>The bridge, the host port and its peer, the container interface, its addresses and routes.</summary>
    protected override void CheckLinks(PluginRequest request, BridgeNetConf conf, CniResult prev, CniInterface? expected, int resultIndex,
        List<string> problems)
    {
        CniArgs args = request.Args;
        using NetNamespace netns = ContainerNamespace.OpenRequired(args);
        using IRouteNetlink host = OpenNetlink();
        LinkInfo? bridge = CheckBridge(host, conf, prev, problems);
        LinkInfo? hostVeth = CheckHostPort(host, args, bridge, problems);
        problems.AddRange(netns.Run(_ =>
        {
            using IRouteNetlink nl = OpenNetlink();
            return ContainerInterface.Check(nl, args, prev, expected, resultIndex, hostVeth);
        }));
    }

    private static LinkInfo? CheckBridge(IRouteNetlink host, BridgeNetConf conf, CniResult prev, List<string> problems)
    {
        LinkInfo? bridge = host.GetLink(conf.BridgeName);
        if (bridge is null || bridge.Kind != "bridge")
        {
            problems.Add(bridge is null ? $"bridge \"{conf.BridgeName}\" is missing" : $"\"{conf.BridgeName}\" is not a bridge");
            return null;
        }
        string? expectedMac = prev.Interfaces.Find(i => i.Name == bridge.Name && i.Sandbox is null)?.Mac;
        string? mac = MacFormat.ToCni(bridge.Mac);
        if (expectedMac is not null && !expectedMac.Equals(mac, StringComparison.OrdinalIgnoreCase))
            problems.Add($"bridge \"{bridge.Name}\" has MAC {mac}, prevResult says {expectedMac}");
        if (conf.PromiscMode != ((bridge.Flags & LinkFlags.Promisc) != 0))
            problems.Add($"bridge \"{bridge.Name}\" promiscuous mode is {((bridge.Flags & LinkFlags.Promisc) != 0 ? "on" : "off")}, config says {(conf.PromiscMode ? "on" : "off")}");
        return bridge;
    }

    private static LinkInfo? CheckHostPort(IRouteNetlink host, CniArgs args, LinkInfo? bridge, List<string> problems)
    {
        string name = HostVethName.For(args.ContainerId, args.IfName);
        LinkInfo? veth = host.GetLink(name);
        if (veth is null || veth.Kind != "veth")
        {
            problems.Add(veth is null ? $"host veth \"{name}\" is missing" : $"host interface \"{name}\" is not a veth");
            return null;
        }
        if (bridge is not null && veth.MasterIndex != bridge.Index)
            problems.Add($"host veth \"{name}\" is not a port of bridge \"{bridge.Name}\"");
        return veth;
    }
}
