using System.Net;
using System.Net.Sockets;
using CniSharp.Cni;
using CniSharp.Ip;

namespace CniSharp.Pods;

/// <summary>
/// What the gateway settings mean for one result (the reference's calcGateways): every IP is tied to the
/// container interface, missing gateways become network+1 when the bridge is the gateway, and a default route
/// per family is added for isDefaultGateway unless IPAM already routes the default for that family.
/// </summary>
internal sealed class GatewayPlan
{
    /// <summary>Gateway addresses with their subnet prefix (10.244.1.1/24): what the bridge must carry.</summary>
    public List<IPPrefix> BridgeAddresses { get; } = [];

    public bool HasIPv4Gateway => BridgeAddresses.Exists(a => a.IsIPv4);

    public bool HasIPv6Gateway => BridgeAddresses.Exists(a => !a.IsIPv4);

    public static GatewayPlan Apply(CniResult result, int containerInterfaceIndex, bool isGateway, bool isDefaultGateway)
    {
        isGateway |= isDefaultGateway;
        var plan = new GatewayPlan();
        var defaultRouted = new HashSet<AddressFamily>();
        foreach (CniRoute route in result.Routes)
            if (route.Dst.PrefixLength == 0)
                defaultRouted.Add(route.Dst.Family);

        foreach (CniIPConfig ip in result.Ips)
        {
            ip.Interface = containerInterfaceIndex;
            if (!isGateway) continue;
            ip.Gateway ??= IPAddressMath.Next(ip.Address.Network.Address);
            var gatewayPrefix = new IPPrefix(ip.Gateway, ip.Address.PrefixLength);
            if (!plan.BridgeAddresses.Contains(gatewayPrefix))
                plan.BridgeAddresses.Add(gatewayPrefix);

            // One default route per family, via the first gateway of that family.
            if (isDefaultGateway && defaultRouted.Add(ip.Address.Family))
            {
                IPAddress any = ip.Address.IsIPv4 ? IPAddress.Any : IPAddress.IPv6Any;
                result.Routes.Add(new CniRoute { Dst = new IPPrefix(any, 0), Gw = ip.Gateway });
            }
        }
        return plan;
    }
}
