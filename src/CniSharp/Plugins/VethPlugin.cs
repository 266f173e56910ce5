using CniSharp.Attachments;
using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins;

/// <summary>
/// A main plugin that wires each pod with a veth pair and keeps attachment records (cnisharp-bridge, cnisharp-ptp).
/// The verbs that are the same for every such plugin are written here, over the shared
/// <see cref="AttachmentLifecycle"/>: DEL, GC, "cnisharp gc" and CHECK's frame. A plugin adds ADD, STATUS and
/// the link-level half of CHECK.
/// </summary>
internal abstract class VethPlugin<TConf>(Func<IRouteNetlink> openNetlink, Func<NetConf, IIpam?> ipamFor) : IPlugin, IKeepsAttachments
    where TConf : MainPluginNetConf
{
    public abstract string Type { get; }

    /// <summary>Opens rtnetlink in the calling thread's namespace.</summary>
    protected Func<IRouteNetlink> OpenNetlink { get; } = openNetlink;

    /// <summary>The IPAM of a layer-3 configuration.</summary>
    protected Func<NetConf, IIpam?> IpamFor { get; } = ipamFor;

    public abstract CniResult Add(PluginRequest request);

    public abstract void Status(PluginRequest request);

    /// <summary>Reads and validates the plugin's configuration.</summary>
    protected abstract TConf Load(PluginRequest request);

    /// <summary>
    /// CHECK's plugin part: the kernel objects ADD made, on the host and in the pod; adds what is wrong.
    /// <paramref name="expected"/> is prevResult's container interface (null when missing), at <paramref name="resultIndex"/>.
    /// </summary>
    protected abstract void CheckLinks(PluginRequest request, TConf conf, CniResult prev, CniInterface? expected, int resultIndex,
        List<string> problems);

    /// <summary>A pod's host side is its host veth: whatever the plugin put on it goes with it.</summary>
    protected AttachmentLifecycle LifecycleFor(TConf conf) =>
        new(conf, Type, OpenNetlink, IpamFor, AttachmentLifecycle.DeleteHostVeth);

    /// <summary>DEL: addresses, the veth pair (without the netns if need be), the record last.</summary>
    public void Del(PluginRequest request) => LifecycleFor(Load(request)).DelVethPair(request.Args, request.Config);

    /// <summary>
    /// Verifies, against prevResult and the kernel, everything ADD made: the IPAM reservation, the attachment
    /// record, then the plugin's links, addresses and routes. Lists every problem it finds.
    /// </summary>
    public void Check(PluginRequest request)
    {
        CniArgs args = request.Args;
        TConf conf = Load(request);
        if (conf.ChecksDisabled) return;
        CniResult prev = conf.ParsePrevResult()
            ?? throw CniException.InvalidConfig("CHECK requires prevResult: the runtime must pass the final ADD result");
        if (conf.IsLayer3)
            IpamFor(conf)!.Check(new IpamRequest(args, conf));

        var problems = new List<string>();
        LifecycleFor(conf).CheckRecord(args, request.Config, prev, problems);
        CniInterface? expected = prev.Interfaces.Find(i => i.Name == args.IfName && i.Sandbox is not null);
        int resultIndex = expected is null ? -1 : prev.Interfaces.IndexOf(expected);
        if (expected is null)
            problems.Add($"prevResult has no interface \"{args.IfName}\" in a sandbox");
        CheckLinks(request, conf, prev, expected, resultIndex, problems);
        if (problems.Count > 0)
            throw new CniException(CniErrorCode.Internal,
                $"CHECK failed for container {args.ContainerId} ({args.IfName}): {string.Join("; ", problems)}");
    }

    /// <summary>Spec 1.1 GC: see <see cref="AttachmentLifecycle.Gc"/>.</summary>
    public void Gc(PluginRequest request)
    {
        TConf conf = Load(request);
        if (conf.GcDisabled) return;
        LifecycleFor(conf).Gc(request.Args, request.Config);
    }

    /// <summary>"cnisharp gc": see <see cref="AttachmentLifecycle.CollectStale"/>.</summary>
    public List<SweptAttachment> CollectStale(PluginRequest request, bool dryRun, List<string> errors, Action<string> warn) =>
        LifecycleFor(Load(request)).CollectStale(request.Args, dryRun, errors, warn);
}
