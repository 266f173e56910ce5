using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Namespaces;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;
using CniSharp.Attachments;

namespace CniSharp.Plugins.Bridge;

/// <summary>
/// cnisharp-bridge: a veth pair per pod, the host end a port of a Linux bridge, addresses from IPAM.
/// Read top to bottom, each verb is the procedure; the helpers each do one step.
/// </summary>
internal sealed partial class BridgePlugin(Func<IRouteNetlink> openNetlink, Func<NetConf, IIpam?> ipamFor)
    : VethPlugin<BridgeNetConf>(openNetlink, ipamFor)
{
    public const string TypeName = PluginTypes.Bridge;

    /// <summary>Index of the container interface in the result: [bridge, host veth, container veth].</summary>
    private const int ContainerResultIndex = 2;

    /// <summary>The reference waits ~2.5 s for the port; we wait on link events, so a healthy port costs nothing.</summary>
    private static readonly TimeSpan PortUpTimeout = TimeSpan.FromSeconds(5);

    public override string Type => TypeName;

    protected override BridgeNetConf Load(PluginRequest request) => BridgeConfig.Load(request);

    public override CniResult Add(PluginRequest request)
    {
        CniArgs args = request.Args;
        BridgeNetConf conf = BridgeConfig.Load(request);
        BridgeConfig.RefuseUnimplemented(conf);
        var envArgs = CniEnvArgs.Parse(args.Args);
        var mac = MacAddressSource.Resolve(conf, envArgs);
        // Parsed before anything is created: a malformed prevResult must not leave a half-made attachment.
        CniResult? previous = conf.ParsePrevResult();
        using NetNamespace netns = ContainerNamespace.OpenRequired(args);
        using IRouteNetlink host = OpenNetlink();
        RefuseVlan(host, conf);
        int mtu = conf.Mtu ?? HostMtu.OfDefaultRoute(host);
        string hostVethName = HostVethName.For(args.ContainerId, args.IfName);
        AttachmentLifecycle attachments = LifecycleFor(conf);
        attachments.ReclaimEarlierBoots(args);

        return attachments.Add(args, request.Config, previous, hostVethName, bridge: conf.BridgeName, rollback =>
        {
            LinkInfo bridge, hostVeth;
            using (BridgeLock.Acquire())
            {
                bridge = BridgeDevice.Ensure(host, conf, mtu, out bool createdBridge);
                if (createdBridge)
                    rollback.Add($"bridge \"{bridge.Name}\"", () => RemoveBridgeIfUnused(bridge.Name));
                hostVeth = Veth.Create(host, args, netns, hostVethName, mtu, mac);
                rollback.Add($"veth \"{hostVethName}\"", () => host.DeleteLink(hostVeth.Index));
                AttachPort(host, hostVeth, bridge, conf);
            }

            var result = new CniResult { CniVersion = conf.EffectiveVersion };
            var gateways = new GatewayPlan();
            if (conf.IsLayer3)
            {
                CniResult allocated = PodAddresses.Reserve(IpamFor(conf)!, new IpamRequest(args, conf), rollback);
                result.Ips = allocated.Ips;
                result.Routes = allocated.Routes;
                result.Dns = allocated.Dns;
                gateways = GatewayPlan.Apply(result, ContainerResultIndex, conf.IsGateway, conf.IsDefaultGateway);
            }

            ContainerInterface.State container = netns.Run(_ => ConfigureContainer(args.IfName, result, conf));
            if (conf.IsGateway || conf.IsDefaultGateway)
            {
                BridgeDevice.EnsureGatewayAddresses(host, bridge, gateways.BridgeAddresses, conf.ForceAddress);
                Forwarding.Enable(gateways.HasIPv4Gateway, gateways.HasIPv6Gateway);
            }
            if (!conf.DisableContainerInterface)
                WaitForPort(host, hostVeth);

            LinkInfo bridgeNow = host.GetLink(bridge.Index) ?? bridge;
            result.Interfaces =
            [
                new CniInterface { Name = bridgeNow.Name, Mac = MacFormat.ToCni(bridgeNow.Mac), Mtu = bridgeNow.Mtu },
                new CniInterface { Name = hostVeth.Name, Mac = MacFormat.ToCni(hostVeth.Mac), Mtu = hostVeth.Mtu },
                new CniInterface { Name = args.IfName, Mac = MacFormat.ToCni(container.Mac), Mtu = container.Mtu, Sandbox = args.NetNs },
            ];
            return (result, hostVeth.Index);
        });
    }

    private static void RefuseVlan(IRouteNetlink host, BridgeNetConf conf, CniErrorCode code = CniErrorCode.UnsupportedField)
    {
        if (!BridgeConfig.WantsVlan(conf)) return;
        string why = BridgeDevice.KernelSupportsVlanFiltering(host)
            ? "per-port VLAN tagging is not implemented in this CniSharp version"
            : "this kernel lacks bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING), which VLAN tagging needs";
        throw new CniException(code,
            $"unsupported field \"vlan\": {conf.Vlan}: {why}; remove \"vlan\"/\"vlanTrunk\" from the configuration");
    }

    private static void AttachPort(IRouteNetlink host, LinkInfo hostVeth, LinkInfo bridge, BridgeNetConf conf)
    {
        // A port forwards, it does not configure itself from router advertisements.
        Sysctl.TrySet($"net/ipv6/conf/{hostVeth.Name}/accept_ra", "0");
        host.SetMaster(hostVeth.Index, bridge.Index);
        if (conf.HairpinMode || conf.PortIsolation)
            host.SetBridgePort(hostVeth.Index, hairpin: conf.HairpinMode ? true : null, isolated: conf.PortIsolation ? true : null);
        host.SetLinkUp(hostVeth.Index);
    }

    private ContainerInterface.State ConfigureContainer(string ifName, CniResult result, BridgeNetConf conf)
    {
        using IRouteNetlink nl = OpenNetlink();
        if (conf.DisableContainerInterface || !conf.IsLayer3)
        {
            LinkInfo link = nl.GetLink(ifName)
                ?? throw new CniException(CniErrorCode.Internal, $"container interface \"{ifName}\" vanished after it was created");
            if (!conf.DisableContainerInterface)
                nl.SetLinkUp(link.Index);
            return new ContainerInterface.State(link.Index, link.Mac, link.Mtu);
        }
        return ContainerInterface.Configure(nl, ifName, result, ContainerResultIndex, conf.EnableDad);
    }

    private static void WaitForPort(IRouteNetlink host, LinkInfo hostVeth)
    {
        OperState state = host.WaitForOperUp(hostVeth.Index, PortUpTimeout);
        if (state != OperState.Up)
            throw new CniException(CniErrorCode.Internal,
                $"bridge port \"{hostVeth.Name}\" did not come up within {PortUpTimeout.TotalSeconds:0} s: operstate {state}");
    }

    /// <summary>Rollback of a bridge this ADD created: only while no port uses it, under the bridge lock.</summary>
    private void RemoveBridgeIfUnused(string name)
    {
        using BridgeLock _ = BridgeLock.Acquire();
        using IRouteNetlink nl = OpenNetlink();
        if (nl.GetLink(name) is not LinkInfo bridge) return;
        foreach (LinkInfo link in nl.ListLinks())
            if (link.MasterIndex == bridge.Index) return;
        Links.DeleteIgnoringMissing(nl, bridge.Index);
    }
}
