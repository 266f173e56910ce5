using System.Net;
using System.Net.Sockets;
using CniSharp.Cni;
using CniSharp.Ip;

namespace CniSharp.Plugins.Ptp;

/// <summary>
/// What the IPAM's answer becomes on a routed pod: each address alone on its link (/32, /128), the link-local
/// gateway as every address's gateway, and a default route per family through it unless the IPAM routes one.
/// </summary>
internal static class RoutedResult
{
    public static void Apply(CniResult result, int containerInterfaceIndex)
    {
        foreach (CniIPConfig ip in result.Ips)
        {
            ip.Address = new IPPrefix(ip.Address.Address, ip.Address.MaxPrefixLength);
            ip.Gateway = LinkLocalGateway.For(ip.Address.Family);
            ip.Interface = containerInterfaceIndex;
        }
        foreach (CniRoute route in result.Routes)
        {
            // The pod's only neighbour is the host: a route via another address could never be resolved.
            if (route.Gw is IPAddress gw && !gw.Equals(LinkLocalGateway.For(gw.AddressFamily)))
                throw CniException.InvalidConfig(
                    $"route to {route.Dst} via {gw}: {PluginTypes.Ptp} sends all pod traffic to the host through " +
                    $"{LinkLocalGateway.For(gw.AddressFamily)}; remove \"gw\" from the IPAM routes");
        }
        foreach (AddressFamily family in FamiliesOf(result))
        {
            if (result.Routes.Exists(r => r.Dst.PrefixLength == 0 && r.Dst.Family == family)) continue;
            IPAddress any = family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
            result.Routes.Add(new CniRoute { Dst = new IPPrefix(any, 0), Gw = LinkLocalGateway.For(family) });
        }
    }

    /// <summary>The address families of the pod's addresses, in result order.</summary>
    public static List<AddressFamily> FamiliesOf(CniResult result) => result.Ips.Select(ip => ip.Address.Family).Distinct().ToList();
}
