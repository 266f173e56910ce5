using System.Net.Sockets;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Ipam;
using CniSharp.Namespaces;
using CniSharp.Netlink.Route;
using CniSharp.Pods;
using CniSharp.Attachments;
using CniSharp.Files;

namespace CniSharp.Plugins.Bridge;

internal sealed partial class BridgePlugin
{
    /// <summary>
    /// Verifies, against prevResult and the kernel, everything ADD made: the IPAM reservation, the bridge, the
    /// host port and its peer, the container interface, its addresses and routes. Lists every problem it finds.
    /// </summary>
    public void Check(PluginRequest request)
    {
        CniArgs args = request.Args;
        BridgeNetConf conf = BridgeConfig.Load(request);
        if (conf.ChecksDisabled) return;
        CniResult prev = conf.ParsePrevResult()
            ?? throw CniException.InvalidConfig("CHECK requires prevResult: the runtime must pass the final ADD result");
        if (conf.IsLayer3)
            ipamFor(conf)!.Check(new IpamRequest(args, conf));

        var problems = new List<string>();
        CheckRecord(request, conf, prev, problems);
        using NetNamespace netns = ContainerNamespace.OpenRequired(args);
        using IRouteNetlink host = openNetlink();
        LinkInfo? bridge = CheckBridge(host, conf, prev, problems);
        LinkInfo? hostVeth = CheckHostPort(host, args, bridge, problems);
        CniInterface? expected = prev.Interfaces.Find(i => i.Name == args.IfName && i.Sandbox is not null);
        int resultIndex = expected is null ? -1 : prev.Interfaces.IndexOf(expected);
        if (expected is null)
            problems.Add($"prevResult has no interface \"{args.IfName}\" in a sandbox");
        problems.AddRange(netns.Run(_ => CheckContainer(args, prev, expected, resultIndex, hostVeth)));

        if (problems.Count > 0)
            throw new CniException(CniErrorCode.Internal,
                $"CHECK failed for container {args.ContainerId} ({args.IfName}): {string.Join("; ", problems)}");
    }

    /// <summary>The attachment record must exist, be complete, and hold the addresses prevResult gives the pod.</summary>
    private static void CheckRecord(PluginRequest request, BridgeNetConf conf, CniResult prev, List<string> problems)
    {
        CniArgs args = request.Args;
        AttachmentStore attachments = StoreFor(conf);
        AttachmentRecord? record = attachments.TryRead(args.ContainerId, args.IfName);
        if (record is null)
        {
            problems.Add($"attachment record {attachments.PathFor(args.ContainerId, args.IfName)} is missing");
            return;
        }
        if (record.Phase != AttachmentRecord.PhaseReady)
            problems.Add($"attachment record says ADD did not complete (phase \"{record.Phase}\")");
        int index = prev.Interfaces.FindIndex(i => i.Name == args.IfName && i.Sandbox is not null);
        var expected = prev.Ips.Where(ip => ip.Interface is not int i || i == index).Select(ip => ip.Address.ToString()).ToHashSet();
        var recorded = record.Ips.ToHashSet();
        if (!expected.SetEquals(recorded))
            problems.Add($"attachment record holds [{string.Join(", ", recorded)}], prevResult says [{string.Join(", ", expected)}]");
        WarnIfConfigChanged(record, request);
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

    private List<string> CheckContainer(CniArgs args, CniResult prev, CniInterface? expected, int resultIndex, LinkInfo? hostVeth)
    {
        var problems = new List<string>();
        using IRouteNetlink nl = openNetlink();
        LinkInfo? link = nl.GetLink(args.IfName);
        if (link is null || link.Kind != "veth")
        {
            problems.Add(link is null ? $"container interface \"{args.IfName}\" is missing from {args.NetNs}" : $"container interface \"{args.IfName}\" is not a veth");
            return problems;
        }
        string? mac = MacFormat.ToCni(link.Mac);
        if (expected?.Mac is string expectedMac && !expectedMac.Equals(mac, StringComparison.OrdinalIgnoreCase))
            problems.Add($"container interface \"{args.IfName}\" has MAC {mac}, prevResult says {expectedMac}");
        if (hostVeth is not null && link.ParentIndex != hostVeth.Index)
            problems.Add($"container interface \"{args.IfName}\" is not the peer of host veth \"{hostVeth.Name}\"");

        IReadOnlyList<AddressInfo> addresses = nl.ListAddresses(link.Index);
        foreach (CniIPConfig ip in prev.Ips)
        {
            if (ip.Interface is int index && index != resultIndex) continue;
            bool present = false;
            foreach (AddressInfo a in addresses)
                present |= a.Address == ip.Address;
            if (!present)
                problems.Add($"address {ip.Address} is missing from \"{args.IfName}\"");
        }
        foreach (CniRoute route in prev.Routes)
            if (!HasRoute(nl, route, prev, resultIndex))
                problems.Add($"route to {route.Dst}{(route.Gw is null ? "" : " via " + route.Gw)} is missing");
        return problems;
    }

    private static bool HasRoute(IRouteNetlink nl, CniRoute route, CniResult prev, int resultIndex)
    {
        // A route without "gw" goes via our interface's gateway; another chained plugin's gateway says nothing.
        System.Net.IPAddress? gateway = route.Gw
            ?? prev.Ips.Find(ip => ip.Gateway is not null && ip.Address.Family == route.Dst.Family &&
                                   (ip.Interface is not int i || i == resultIndex))?.Gateway;
        foreach (RouteInfo r in nl.ListRoutes(route.Dst.Family, route.Table))
            if (r.Dst == route.Dst && (gateway is null || gateway.Equals(r.Gateway)))
                return true;
        return false;
    }
}
