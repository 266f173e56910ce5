using System.Net.NetworkInformation;
using System.Net.Sockets;
using CniSharp.Attachments;
using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Namespaces;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins.Ptp;

/// <summary>
/// cnisharp-ptp: routed pods, Calico/kindnet style. A veth pair per pod, no bridge: the pod holds its addresses
/// alone (/32, /128) and sends everything to a link-local gateway that is the host veth; the host reaches the
/// pod by one route per address out of that veth. Same attachment records, rollback, GC, STATUS, CHECK and
/// DEL-without-netns as cnisharp-bridge, through the shared parts.
/// </summary>
internal sealed partial class PtpPlugin(Func<IRouteNetlink> openNetlink, Func<NetConf, IIpam?> ipamFor)
    : VethPlugin<PtpNetConf>(openNetlink, ipamFor)
{
    public const string TypeName = PluginTypes.Ptp;

    /// <summary>Index of the container interface in the result: [host veth, container veth].</summary>
    private const int ContainerResultIndex = 1;

    public override string Type => TypeName;

    protected override PtpNetConf Load(PluginRequest request) => PtpConfig.Load(request);

    public override CniResult Add(PluginRequest request)
    {
        CniArgs args = request.Args;
        PtpNetConf conf = PtpConfig.Load(request);
        PtpConfig.RefuseUnimplemented(conf);
        PhysicalAddress? mac = MacAddressSource.Resolve(conf, CniEnvArgs.Parse(args.Args));
        // Parsed before anything is created: a malformed prevResult must not leave a half-made attachment.
        CniResult? previous = conf.ParsePrevResult();
        using NetNamespace netns = ContainerNamespace.OpenRequired(args);
        using IRouteNetlink host = OpenNetlink();
        int mtu = conf.Mtu ?? HostMtu.OfDefaultRoute(host);
        string hostVethName = HostVethName.For(args.ContainerId, args.IfName);
        AttachmentLifecycle attachments = LifecycleFor(conf);
        attachments.ReclaimEarlierBoots(args);

        return attachments.Add(args, request.Config, previous, hostVethName, bridge: null, rollback =>
        {
            LinkInfo hostVeth = Veth.Create(host, args, netns, hostVethName, mtu, mac);
            // Its host routes go with it.
            rollback.Add($"veth \"{hostVethName}\"", () => host.DeleteLink(hostVeth.Index));

            CniResult allocated = PodAddresses.Reserve(IpamFor(conf)!, new IpamRequest(args, conf), rollback);
            var result = new CniResult { CniVersion = conf.EffectiveVersion, Ips = allocated.Ips, Routes = allocated.Routes, Dns = allocated.Dns };
            RoutedResult.Apply(result, ContainerResultIndex);
            List<AddressFamily> families = RoutedResult.FamiliesOf(result);

            BringUpHostEnd(host, hostVeth, families);
            PhysicalAddress hostVethMac = hostVeth.Mac
                ?? throw new CniException(CniErrorCode.Internal, $"host veth \"{hostVethName}\" has no MAC address for the pod's gateway entry");
            ContainerInterface.State container = netns.Run(_ => ConfigureContainer(args.IfName, result, hostVethMac, families));
            HostRoutes.Add(host, hostVeth, result.Ips.Select(ip => ip.Address));
            Forwarding.Enable(families.Contains(AddressFamily.InterNetwork), families.Contains(AddressFamily.InterNetworkV6));

            result.Interfaces =
            [
                new CniInterface { Name = hostVeth.Name, Mac = MacFormat.ToCni(hostVeth.Mac), Mtu = hostVeth.Mtu },
                new CniInterface { Name = args.IfName, Mac = MacFormat.ToCni(container.Mac), Mtu = container.Mtu, Sandbox = args.NetNs },
            ];
            return (result, hostVeth.Index);
        });
    }

    /// <summary>
    /// The host end routes, it does not configure itself: no router advertisements, and no DAD, so its link-local
    /// address can solicit the pod's IPv6 address the moment the host route exists.
    /// </summary>
    private static void BringUpHostEnd(IRouteNetlink host, LinkInfo hostVeth, List<AddressFamily> families)
    {
        if (families.Contains(AddressFamily.InterNetworkV6))
        {
            Sysctl.TrySet($"net/ipv6/conf/{hostVeth.Name}/accept_ra", "0");
            Sysctl.TrySet($"net/ipv6/conf/{hostVeth.Name}/accept_dad", "0");
        }
        host.SetLinkUp(hostVeth.Index);
    }

    private ContainerInterface.State ConfigureContainer(string ifName, CniResult result, PhysicalAddress hostVethMac, List<AddressFamily> families)
    {
        using IRouteNetlink nl = OpenNetlink();
        return ContainerInterface.Configure(nl, ifName, result, ContainerResultIndex, enableDad: false,
            beforeRoutes: (pod, link) => LinkLocalGateway.Install(pod, link, hostVethMac, families));
    }
}
