using System.Net.Sockets;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Namespaces;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins.Ptp;

internal sealed partial class PtpPlugin
{
    /// <summary>
    /// The host veth and its route per pod address, forwarding, the container interface with its addresses and
    /// routes, and the gateway's neighbour entry.
    /// </summary>
    protected override void CheckLinks(PluginRequest request, PtpNetConf conf, CniResult prev, CniInterface? expected, int resultIndex,
        List<string> problems)
    {
        CniArgs args = request.Args;
        List<IPPrefix> podAddresses = prev.Ips.Where(ip => ip.Interface is not int i || i == resultIndex).Select(ip => ip.Address).ToList();
        List<AddressFamily> families = podAddresses.Select(a => a.Family).Distinct().ToList();

        using NetNamespace netns = ContainerNamespace.OpenRequired(args);
        using IRouteNetlink host = OpenNetlink();
        LinkInfo? hostVeth = CheckHostVeth(host, args, problems);
        if (hostVeth is not null)
            problems.AddRange(HostRoutes.Check(host, hostVeth, podAddresses));
        foreach (AddressFamily family in families)
            if (!Forwarding.IsEnabled(family))
                problems.Add($"{Forwarding.SysctlName(family)} is off on the host");
        problems.AddRange(netns.Run(_ =>
        {
            using IRouteNetlink nl = OpenNetlink();
            List<string> inside = ContainerInterface.Check(nl, args, prev, expected, resultIndex, hostVeth);
            if (nl.GetLink(args.IfName) is LinkInfo link)
                inside.AddRange(LinkLocalGateway.Check(nl, link, hostVeth?.Mac, families));
            return inside;
        }));
    }

    private static LinkInfo? CheckHostVeth(IRouteNetlink host, CniArgs args, List<string> problems)
    {
        string name = HostVethName.For(args.ContainerId, args.IfName);
        LinkInfo? veth = host.GetLink(name);
        if (veth is null || veth.Kind != "veth")
        {
            problems.Add(veth is null ? $"host veth \"{name}\" is missing" : $"host interface \"{name}\" is not a veth");
            return null;
        }
        if (!veth.IsUp)
            problems.Add($"host veth \"{name}\" is down");
        return veth;
    }
}
