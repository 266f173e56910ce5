using System.Net.Sockets;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Ipam;
using CniSharp.Logging;
using CniSharp.Namespaces;
using CniSharp.Netfilter;
using CniSharp.Netlink;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Plugins.Portmap;

/// <summary>
/// cnisharp-portmap: a chained plugin (capability "portMappings") that maps host ports to the pod from
/// prevResult, natively in nf_tables (see <see cref="HostPorts"/>). Its state is the kernel's: each mapping is a
/// map element owned by the attachment, so DEL needs neither the mappings nor the netns again, GC reconciles
/// with the valid attachments, and a reboot leaves nothing behind. UDP conntrack entries of a mapped port are
/// flushed on ADD and DEL, so a replaced pod is reached at once.
/// </summary>
internal sealed class PortmapPlugin : IPlugin
{
    public const string TypeName = PluginTypes.Portmap;

    public string Type => TypeName;

    public CniResult Add(PluginRequest request)
    {
        PortmapNetConf conf = PortmapConfig.Load(request);
        PortmapConfig.RefuseUnsupported(conf);
        CniResult previous = conf.ParsePrevResult()
            ?? throw CniException.InvalidConfig("cnisharp-portmap must be called as a chained plugin: the configuration has no prevResult");
        List<IPPrefix> pod = PortMappings.PodAddresses(previous);
        List<HostPortMapping> mappings = PortMappings.Resolve(conf, pod);
        if (mappings.Count == 0)
            return previous;

        ElementOwner owner = OwnerOf(conf, request.Args);
        using NfTables nft = NfTables.Open();
        try
        {
            HostPorts.Add(nft, owner, mappings, conf.SnatOrDefault ? pod : []);
        }
        catch (HostPortConflictException e)
        {
            // Often transient: a replaced pod's ADD can run before the old pod's DEL.
            throw new CniException(CniErrorCode.TryAgainLater, $"cannot map {e.Wanted}: {e.Message}");
        }
        if (conf.SnatOrDefault && mappings.Any(m => m.PodIp.AddressFamily == AddressFamily.InterNetwork))
            AllowLoopbackSources(previous);
        FlushUdpFlows(nft, mappings);
        return previous;
    }

    public void Del(PluginRequest request)
    {
        PortmapNetConf conf = PortmapConfig.Load(request);
        using NfTables? nft = NfTables.TryOpen();
        if (nft is null) return;
        FlushUdpFlows(nft, HostPorts.Remove(nft, OwnerOf(conf, request.Args)));
    }

    public void Check(PluginRequest request)
    {
        PortmapNetConf conf = PortmapConfig.Load(request);
        if (conf.ChecksDisabled) return;
        CniResult previous = conf.ParsePrevResult()
            ?? throw CniException.InvalidConfig("CHECK requires prevResult: the runtime must pass the final ADD result");
        List<HostPortMapping> expected = PortMappings.Resolve(conf, PortMappings.PodAddresses(previous));
        using NfTables nft = NfTables.Open();
        List<HostPortMapping> owned = HostPorts.Owned(nft, OwnerOf(conf, request.Args));
        List<HostPortMapping> missing = expected.Where(m => !owned.Contains(m)).ToList();
        if (missing.Count > 0)
            throw new CniException(CniErrorCode.Internal,
                $"CHECK failed for container {request.Args.ContainerId} ({request.Args.IfName}): not mapped: {string.Join("; ", missing)}");
    }

    public void Status(PluginRequest request)
    {
        PortmapNetConf conf = PortmapConfig.Load(request);
        PortmapConfig.RefuseUnsupported(conf, CniErrorCode.NotAvailable);
        NetfilterStatus.Require(TypeName, HostPorts.Validate);
    }

    /// <summary>Spec 1.1 GC: removes the network's mappings whose attachment is not in cni.dev/valid-attachments.</summary>
    public void Gc(PluginRequest request)
    {
        PortmapNetConf conf = PortmapConfig.Load(request);
        if (conf.GcDisabled) return;
        var valid = GcAttachment.Parse(request.Config).Select(a => (a.ContainerId, a.IfName)).ToHashSet();
        using NfTables? nft = NfTables.TryOpen();
        if (nft is null) return;
        FlushUdpFlows(nft, HostPorts.Gc(nft, conf.Name!, (id, ifName) => valid.Contains((id, ifName))));
    }

    private static ElementOwner OwnerOf(NetConf conf, CniArgs args) => new(conf.Name!, args.ContainerId, args.IfName);

    /// <summary>
    /// localhost:hostPort: once DNATed, a packet from 127.0.0.1 leaves through the pod's host interface, which
    /// the kernel allows only with route_localnet there (IPv4). The interface is prevResult's first host-side
    /// one, the bridge for cnisharp-bridge.
    /// </summary>
    private static void AllowLoopbackSources(CniResult previous)
    {
        if (previous.Interfaces.FirstOrDefault(i => string.IsNullOrEmpty(i.Sandbox)) is not { } host) return;
        if (!Sysctl.TrySet($"net/ipv4/conf/{host.Name}/route_localnet", "1"))
            Log.Warn($"could not set route_localnet on \"{host.Name}\": localhost:hostPort will not reach the pod over IPv4");
    }

    /// <summary>
    /// Removes the UDP conntrack entries of these host ports: a flow that started before the mapping changed
    /// (to a pod now gone, or to the host itself) would otherwise keep its old translation for as long as it
    /// stays busy.
    /// </summary>
    private static void FlushUdpFlows(NfTables nft, IEnumerable<HostPortMapping> mappings)
    {
        var udp = mappings.Where(m => m.Protocol == NftKey.Udp).ToList();
        if (udp.Count == 0) return;
        using ConntrackNetlink conntrack = ConntrackNetlink.Over(nft);
        foreach (HostPortMapping m in udp)
            conntrack.DeleteFlowsTo(m.PodIp.AddressFamily, NftKey.Udp, m.HostPort, m.HostIp);
    }
}
