using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Ipam;
using CniSharp.Namespaces;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;
using CniSharp.Attachments;
using CniSharp.Files;

namespace CniSharp.Plugins.Bridge;

/// <summary>
/// cnisharp-bridge: a veth pair per pod, the host end a port of a Linux bridge, addresses from IPAM.
/// Read top to bottom, each verb is the procedure; the helpers each do one step.
/// </summary>
internal sealed partial class BridgePlugin(Func<IRouteNetlink> openNetlink, Func<NetConf, IIpam?> ipamFor) : IPlugin, IKeepsAttachments
{
    public const string TypeName = PluginTypes.Bridge;

    /// <summary>Index of the container interface in the result: [bridge, host veth, container veth].</summary>
    private const int ContainerResultIndex = 2;

    /// <summary>The reference waits ~2.5 s for the port; we wait on link events, so a healthy port costs nothing.</summary>
    private static readonly TimeSpan PortUpTimeout = TimeSpan.FromSeconds(5);

    public string Type => TypeName;

    public CniResult Add(PluginRequest request)
    {
        CniArgs args = request.Args;
        BridgeNetConf conf = BridgeConfig.Load(request);
        BridgeConfig.RefuseUnimplemented(conf);
        var envArgs = CniEnvArgs.Parse(args.Args);
        var mac = MacAddressSource.Resolve(conf, envArgs);
        // Parsed before anything is created: a malformed prevResult must not leave a half-made attachment.
        CniResult? previous = conf.ParsePrevResult();
        using NetNamespace netns = ContainerNamespace.OpenRequired(args);
        using IRouteNetlink host = openNetlink();
        RefuseVlan(host, conf);
        int mtu = conf.Mtu ?? DefaultRouteMtu(host);
        string hostVethName = HostVethName.For(args.ContainerId, args.IfName);
        AttachmentStore attachments = StoreFor(conf);
        ReclaimEarlierBoots(attachments, conf, args);

        var rollback = new Rollback();
        bool recordIsOurs = false;
        try
        {
            // The intent goes to disk before anything exists, so a crash at any later point leaves GC a handle.
            AttachmentRecord record = NewRecord(request, conf, hostVethName);
            recordIsOurs = BeginRecord(attachments, record);
            LinkInfo bridge, hostVeth;
            using (BridgeLock.Acquire())
            {
                bridge = BridgeDevice.Ensure(host, conf, mtu, out bool createdBridge);
                if (createdBridge)
                    rollback.Add($"bridge \"{bridge.Name}\"", () => RemoveBridgeIfUnused(bridge.Name));
                hostVeth = CreateVeth(host, args, netns, hostVethName, mtu, mac);
                rollback.Add($"veth \"{hostVethName}\"", () => host.DeleteLink(hostVeth.Index));
                AttachPort(host, hostVeth, bridge, conf);
            }

            var result = new CniResult { CniVersion = conf.EffectiveVersion };
            var gateways = new GatewayPlan();
            if (conf.IsLayer3)
            {
                IIpam ipam = ipamFor(conf)!;
                var ipamRequest = new IpamRequest(args, conf);
                CniResult allocated = ipam.Add(ipamRequest);
                // Release the addresses if anything after this fails: the reference's guard against IP leaks.
                rollback.Add("IPAM reservation", () => ipam.Del(ipamRequest));
                if (allocated.Ips.Count == 0)
                    throw new CniException(CniErrorCode.Internal, $"IPAM plugin \"{conf.IpamType}\" returned no IP addresses");
                result.Ips = allocated.Ips;
                result.Routes = allocated.Routes;
                result.Dns = allocated.Dns;
                gateways = GatewayPlan.Apply(result, ContainerResultIndex, conf.IsGateway, conf.IsDefaultGateway);
            }

            ContainerInterface.State container = netns.Run(_ => ConfigureContainer(args.IfName, result, conf));
            if (conf.IsGateway || conf.IsDefaultGateway)
            {
                BridgeDevice.EnsureGatewayAddresses(host, bridge, gateways.BridgeAddresses, conf.ForceAddress);
                BridgeDevice.EnableForwarding(gateways.HasIPv4Gateway, gateways.HasIPv6Gateway);
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
            if (conf.Dns is { IsEmpty: false } dns)
                result.Dns = dns.ToResultDns();
            CompleteRecord(attachments, record, hostVeth, result);
            return previous is null ? result : ChainedResult.Append(previous, result);
        }
        catch
        {
            // The record goes last, and only when every undo worked: otherwise it is GC's way to what is left.
            if (rollback.Run() && recordIsOurs)
                DeleteRecordQuietly(attachments, args);
            throw;
        }
    }

    public void Del(PluginRequest request)
    {
        CniArgs args = request.Args;
        BridgeNetConf conf = BridgeConfig.Load(request);
        AttachmentStore attachments = StoreFor(conf);
        AttachmentRecord? record = attachments.TryRead(args.ContainerId, args.IfName);
        WarnIfConfigChanged(record, request);
        // Release addresses first and whatever happens to the links: an IP must never outlive its pod.
        if (conf.IsLayer3)
            ipamFor(conf)!.Del(new IpamRequest(args, conf));

        using (IRouteNetlink host = openNetlink())
        {
            // The host end's name is derived, so DEL works without the netns (CNI_NETNS may be empty or gone);
            // deleting one end of a veth deletes the pair.
            string derived = HostVethName.For(args.ContainerId, args.IfName);
            bool deleted = DeleteHostVeth(host, derived);
            if (record?.HostVeth is string recorded && recorded != derived)
                deleted |= DeleteHostVeth(host, recorded);
            if (!deleted)
            {
                using NetNamespace? netns = ContainerNamespace.OpenIfPresent(args);
                netns?.Run(_ => DeleteContainerInterface(args.IfName));
            }
        }
        // Last, so a DEL that fails part-way leaves the record for the next DEL or for GC.
        attachments.Delete(args.ContainerId, args.IfName);
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

    private static LinkInfo CreateVeth(IRouteNetlink host, CniArgs args, NetNamespace netns, string hostVethName,
        int mtu, System.Net.NetworkInformation.PhysicalAddress? mac)
    {
        try
        {
            host.AddVeth(new VethRequest
            {
                Name = hostVethName,
                PeerName = args.IfName,
                PeerNamespace = netns.Handle,
                Mtu = mtu,
                PeerMac = mac,
            });
        }
        catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
        {
            // The kernel does not say which end clashed; one look at the host answers it.
            string which = host.GetLink(hostVethName) is not null
                ? $"host interface \"{hostVethName}\" for container {args.ContainerId} ({args.IfName}) already exists: a previous ADD was not deleted; run DEL first"
                : $"container interface \"{args.IfName}\" already exists in {args.NetNs}";
            throw new CniException(CniErrorCode.Internal, which);
        }
        return host.GetLink(hostVethName)
            ?? throw new CniException(CniErrorCode.Internal, $"host interface \"{hostVethName}\" vanished right after it was created");
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
        using IRouteNetlink nl = openNetlink();
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
        using IRouteNetlink nl = openNetlink();
        if (nl.GetLink(name) is not LinkInfo bridge) return;
        foreach (LinkInfo link in nl.ListLinks())
            if (link.MasterIndex == bridge.Index) return;
        DeleteIgnoringMissing(nl, bridge.Index);
    }

    /// <summary>Deletes a host veth by name; false when there is none. Only a veth: a name alone proves nothing.</summary>
    private static bool DeleteHostVeth(IRouteNetlink host, string name)
    {
        if (host.GetLink(name) is not LinkInfo link || link.Kind != "veth") return false;
        DeleteIgnoringMissing(host, link.Index);
        return true;
    }

    private void DeleteContainerInterface(string ifName)
    {
        using IRouteNetlink nl = openNetlink();
        if (nl.GetLink(ifName) is LinkInfo link && link.Kind == "veth")
            DeleteIgnoringMissing(nl, link.Index);
    }

    private static void DeleteIgnoringMissing(IRouteNetlink nl, int index)
    {
        try
        {
            nl.DeleteLink(index);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            // Already gone (a concurrent DEL, or the netns went away with it): DEL is idempotent.
        }
    }

    /// <summary>The MTU of the interface holding the default route (IPv4, else IPv6); 1500 without one.</summary>
    private static int DefaultRouteMtu(IRouteNetlink host)
    {
        foreach (var family in (ReadOnlySpan<System.Net.Sockets.AddressFamily>)
                 [System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.AddressFamily.InterNetworkV6])
        {
            foreach (RouteInfo route in host.ListRoutes(family))
                if (route.Dst.PrefixLength == 0 && route.OutIndex is int index && host.GetLink(index) is LinkInfo link)
                    return link.Mtu;
        }
        return 1500;
    }
}
