using System.Net;
using CniSharp.Cni;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Pods;

// CHECK's container side, the same for every veth plugin: runs inside the pod's netns.
internal static partial class ContainerInterface
{
    /// <summary>
    /// Compares the container interface with prevResult: a veth, the MAC, the peer of <paramref name="hostVeth"/>,
    /// every address of the interface and every route. Returns every problem found.
    /// </summary>
    public static List<string> Check(IRouteNetlink nl, CniArgs args, CniResult prev, CniInterface? expected, int resultIndex, LinkInfo? hostVeth)
    {
        var problems = new List<string>();
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
        IPAddress? gateway = route.Gw
            ?? prev.Ips.Find(ip => ip.Gateway is not null && ip.Address.Family == route.Dst.Family &&
                                   (ip.Interface is not int i || i == resultIndex))?.Gateway;
        foreach (RouteInfo r in nl.ListRoutes(route.Dst.Family, route.Table))
            if (r.Dst == route.Dst && (gateway is null || gateway.Equals(r.Gateway)))
                return true;
        return false;
    }
}
