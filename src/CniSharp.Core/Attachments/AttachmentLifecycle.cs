using System.Globalization;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Logging;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Attachments;

/// <summary>
/// What every main plugin that keeps attachment records does with them, written once: the intent record before
/// ADD creates anything, the ready record after, DEL's release order (addresses, links, record last), CHECK of
/// the record, and the sweeps that release attachments nobody will ever DEL (earlier boots, GC, "cnisharp gc").
/// The plugin supplies what only it knows: how to release its host side from a record.
/// </summary>
internal sealed partial class AttachmentLifecycle
{
    private readonly MainPluginNetConf _conf;
    private readonly string _plugin;
    private readonly Func<IRouteNetlink> _openNetlink;
    private readonly Func<NetConf, IIpam?> _ipamFor;
    private readonly ReleaseHostSide _releaseHostSide;
    private IIpam? _ipam;

    /// <param name="conf">The network; its name and stateDir place the records.</param>
    /// <param name="plugin">The plugin type, written into each record.</param>
    /// <param name="openNetlink">Opens rtnetlink in the calling thread's namespace (the host's, here).</param>
    /// <param name="ipamFor">The network's IPAM, asked for only when the network is layer 3.</param>
    /// <param name="releaseHostSide">The plugin's undo of its host side, for attachments released from a record.</param>
    public AttachmentLifecycle(MainPluginNetConf conf, string plugin, Func<IRouteNetlink> openNetlink,
        Func<NetConf, IIpam?> ipamFor, ReleaseHostSide releaseHostSide)
    {
        _conf = conf;
        _plugin = plugin;
        _openNetlink = openNetlink;
        _ipamFor = ipamFor;
        _releaseHostSide = releaseHostSide;
        Store = new AttachmentStore(conf.StateDirOrDefault, conf.Name!);
    }

    public AttachmentStore Store { get; }

    /// <summary>The network's IPAM; ask only when <see cref="MainPluginNetConf.IsLayer3"/> (L2-only networks have none).</summary>
    private IIpam Ipam => _ipam ??= _ipamFor(_conf)!;

    /// <summary>ReleaseHostSide for a plugin whose only host-side object is the pod's host veth.</summary>
    public static void DeleteHostVeth(IRouteNetlink host, AttachmentRecord record) => Veth.DeleteHostEnd(host, record.HostVethOrDerived);

    /// <summary>
    /// ADD as one transaction. The intent record goes to disk before anything exists, so a crash at any later point
    /// leaves GC a handle; then <paramref name="attach"/> makes the attachment, registering an undo with the
    /// rollback right after each thing it creates, and returns the result and the host veth's ifindex; the
    /// network's "dns" overrides the IPAM's; the record becomes "ready" and the result is appended to
    /// <paramref name="previous"/> (a chain's prevResult, parsed before anything was made). On failure every undo
    /// runs, newest first, and the record goes last, only when every undo worked: otherwise it is GC's way to
    /// what is left.
    /// </summary>
    public CniResult Add(CniArgs args, JsonElement config, CniResult? previous, string hostVethName, string? bridge,
        Func<Rollback, (CniResult Result, int HostVethIndex)> attach)
    {
        var rollback = new Rollback();
        bool recordIsOurs = false;
        try
        {
            AttachmentRecord record = NewRecord(args, config, hostVethName, bridge);
            recordIsOurs = Begin(record);
            (CniResult result, int hostVethIndex) = attach(rollback);
            if (_conf.Dns is { IsEmpty: false } dns)
                result.Dns = dns.ToResultDns();
            Complete(record, hostVethIndex, result);
            return previous is null ? result : ChainedResult.Append(previous, result);
        }
        catch
        {
            if (rollback.Run() && recordIsOurs)
                ForgetQuietly(args);
            throw;
        }
    }

    /// <summary>The intent record of an ADD (phase "adding"); <paramref name="bridge"/> only for cnisharp-bridge.</summary>
    public AttachmentRecord NewRecord(CniArgs args, JsonElement config, string hostVethName, string? bridge = null) => new()
    {
        ContainerId = args.ContainerId,
        IfName = args.IfName,
        Network = _conf.Name,
        NetNs = args.NetNs,
        Plugin = _plugin,
        Bridge = bridge,
        HostVeth = hostVethName,
        ConfigHash = ConfigHash.Of(config),
        BootId = BootId.Current,
        Phase = AttachmentRecord.PhaseAdding,
        Created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Writes the intent record and says whether it is this ADD's. A record of this boot already there belongs
    /// to an earlier ADD of the same attachment (alive, or waiting for its DEL): it stays until this ADD succeeds.
    /// </summary>
    public bool Begin(AttachmentRecord record)
    {
        if (Store.TryRead(record.ContainerId, record.IfName) is { } existing && existing.BootId == record.BootId)
            return false;
        Store.Write(record);
        return true;
    }

    /// <summary>ADD succeeded: the record becomes "ready" with what was made.</summary>
    public void Complete(AttachmentRecord record, int hostVethIndex, CniResult result)
    {
        record.Phase = AttachmentRecord.PhaseReady;
        record.HostVethIndex = hostVethIndex;
        record.Ips = result.Ips.Select(ip => ip.Address.ToString()).ToList();
        Store.Write(record);
    }

    /// <summary>A rolled-back ADD's last step: its record goes, and a failure to remove it is only logged.</summary>
    public void ForgetQuietly(CniArgs args)
    {
        try
        {
            Store.Delete(args.ContainerId, args.IfName);
        }
        catch (CniException e)
        {
            Log.Warn($"rollback: could not remove the attachment record: {e.Message}");
        }
    }

    /// <summary>
    /// DEL: addresses first and whatever happens to the links (an IP must never outlive its pod), then the
    /// plugin's <paramref name="removeLinks"/> (given the record, null when there is none), the record last, so
    /// a DEL that fails part-way leaves it for the next DEL or for GC.
    /// </summary>
    public void Del(CniArgs args, JsonElement config, Action<AttachmentRecord?> removeLinks)
    {
        AttachmentRecord? record = Store.TryRead(args.ContainerId, args.IfName);
        WarnIfConfigChanged(record, args, config);
        if (_conf.IsLayer3)
            Ipam.Del(new IpamRequest(args, _conf));
        removeLinks(record);
        Store.Delete(args.ContainerId, args.IfName);
    }

    /// <summary>DEL of a pod wired with a veth pair: <see cref="Del"/> with the pair as the links (found without the netns).</summary>
    public void DelVethPair(CniArgs args, JsonElement config) => Del(args, config, record =>
    {
        using IRouteNetlink host = _openNetlink();
        Veth.DeletePair(host, _openNetlink, args, record?.HostVeth);
    });

    /// <summary>CHECK: the record must exist, be complete, and hold the addresses prevResult gives the pod.</summary>
    public void CheckRecord(CniArgs args, JsonElement config, CniResult prev, List<string> problems)
    {
        AttachmentRecord? record = Store.TryRead(args.ContainerId, args.IfName);
        if (record is null)
        {
            problems.Add($"attachment record {Store.PathFor(args.ContainerId, args.IfName)} is missing");
            return;
        }
        if (record.Phase != AttachmentRecord.PhaseReady)
            problems.Add($"attachment record says ADD did not complete (phase \"{record.Phase}\")");
        int index = prev.Interfaces.FindIndex(i => i.Name == args.IfName && i.Sandbox is not null);
        var expected = prev.Ips.Where(ip => ip.Interface is not int i || i == index).Select(ip => ip.Address.ToString()).ToHashSet();
        var recorded = record.Ips.ToHashSet();
        if (!expected.SetEquals(recorded))
            problems.Add($"attachment record holds [{string.Join(", ", recorded)}], prevResult says [{string.Join(", ", expected)}]");
        WarnIfConfigChanged(record, args, config);
    }

    private static void WarnIfConfigChanged(AttachmentRecord? record, CniArgs args, JsonElement config)
    {
        if (record?.ConfigHash is string made && Log.IsEnabled(LogLevel.Warning) && made != ConfigHash.Of(config))
            Log.Warn($"{args.Command.Name()} {record}: the network configuration changed since ADD ({made})");
    }
}
