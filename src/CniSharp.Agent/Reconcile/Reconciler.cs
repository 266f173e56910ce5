using System.Diagnostics;
using CniSharp.Agent.Dataplane;
using CniSharp.Agent.Datastore;
using CniSharp.Ip;
using Serilog;

namespace CniSharp.Agent.Reconcile;

/// <summary>
/// Makes the kernel match <see cref="DesiredState"/>: adds what is missing, replaces what differs, removes what
/// the agent owns but no longer wants (a departed peer, another backend's objects). Level-triggered: the same
/// pass serves a watch event, the periodic self-heal and a restart (which adopts existing state: equal objects
/// are left alone, so nothing flaps). Each kernel error is counted and logged; the pass goes on with the rest.
/// </summary>
internal sealed class Reconciler(IDataplane dataplane, BackendKind backend, string nodeName, ILogger log)
{
    private VxlanSpec? _vxlanSpec;
    private VxlanDevice? _vxlan;
    private Underlay? _underlay;

    public Underlay Underlay => _underlay ?? throw new InvalidOperationException("Prepare first");

    /// <summary>The VXLAN device when the backend has one (after <see cref="Prepare"/>).</summary>
    public VxlanDevice? Vxlan => _vxlan;

    /// <summary>MTU for pods: the underlay's, less the VXLAN overhead when pods' packets may be encapsulated.</summary>
    public int PodMtu => backend.UsesVxlan() ? Underlay.Mtu - VxlanSpec.Overhead : Underlay.Mtu;

    /// <summary>
    /// Finds the underlay and, for VXLAN backends, adopts or creates the device (its MAC is what peers need).
    /// A device that does not match (other VNI/port/local address, learning on) is replaced.
    /// </summary>
    public Underlay Prepare(string? iface, System.Net.IPAddress? publicIp)
    {
        Underlay underlay = dataplane.DetectUnderlay(iface, publicIp);
        _underlay = underlay;
        log.Information("Underlay {Link} (index {Index}, MTU {Mtu}) {IPv4} {IPv6}", underlay.Name, underlay.Index, underlay.Mtu,
            underlay.IPv4?.ToString() ?? "-", underlay.IPv6?.ToString() ?? "-");
        if (!backend.UsesVxlan()) return underlay;
        if (underlay.IPv4 is null)
            throw new InvalidOperationException($"backend {backend.Name()} needs an IPv4 address on the underlay {underlay.Name} (VXLAN runs over IPv4)");
        _vxlanSpec = new VxlanSpec(VxlanSpec.DefaultName, VxlanSpec.DefaultVni, VxlanSpec.DefaultPort, underlay.IPv4,
            underlay.Index, underlay.Mtu - VxlanSpec.Overhead, VtepMac.For(nodeName));
        _vxlan = EnsureVxlan(_vxlanSpec);
        return underlay;
    }

    private VxlanDevice EnsureVxlan(VxlanSpec spec)
    {
        VxlanDevice? device = dataplane.FindVxlan(spec.Name);
        if (device is not null && !device.Matches(spec))
        {
            log.Warning("Replacing VXLAN device {Name}: it has VNI {Vni} port {Port} local {Local} learning {Learning}, want {Want}",
                device.Name, device.Vni, device.Port, device.Local, device.Learning, spec);
            dataplane.DeleteLink(device.Index);
            device = null;
        }
        if (device is null)
        {
            device = dataplane.CreateVxlan(spec);
            log.Information("Created VXLAN device {Name} (VNI {Vni}, port {Port}, MTU {Mtu}, MAC {Mac})",
                spec.Name, spec.Vni, spec.Port, spec.Mtu, Pods.MacFormat.ToCni(device.Mac));
        }
        else
        {
            log.Information("Adopted VXLAN device {Name} (index {Index}, MAC {Mac})", device.Name, device.Index, Pods.MacFormat.ToCni(device.Mac));
        }
        if (device.Mtu != spec.Mtu)
        {
            dataplane.SetMtu(device.Index, spec.Mtu);
            device = device with { Mtu = spec.Mtu };
        }
        if (!device.Up)
        {
            dataplane.SetUp(device.Index);
            device = device with { Up = true };
        }
        return device;
    }

    /// <summary>One pass: this node's VTEP addresses, then every peer's routes, neighbours and FDB entries.</summary>
    public ReconcileReport Reconcile(NodeLease self, IReadOnlyList<NodeLease> peers)
    {
        var clock = Stopwatch.StartNew();
        int changes = 0, errors = 0;
        void Try(string what, Action action)
        {
            try
            {
                action();
                changes++;
                log.Debug("{Action}", what);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors++;
                log.Warning("{Action} failed: {Reason}", what, e.Message);
            }
        }

        if (_vxlanSpec is not null)
        {
            // The device may have been deleted behind our back: re-create it (self-heal covers it too).
            VxlanDevice? present = _vxlan is null ? null : dataplane.FindVxlan(_vxlanSpec.Name);
            if (present is null || present.Index != _vxlan!.Index || !present.Up)
            {
                Try($"restore VXLAN device {_vxlanSpec.Name}", () => _vxlan = EnsureVxlan(_vxlanSpec));
            }
            if (_vxlan is not null)
            {
                IReadOnlyList<IPPrefix> addresses = dataplane.ListAddresses(_vxlan.Index);
                foreach (IPPrefix vtep in DesiredState.VtepAddresses(self.Subnets).Where(a => !addresses.Contains(a)))
                {
                    Try($"add VTEP address {vtep}", () => dataplane.AddAddress(_vxlan.Index, vtep));
                }
            }
        }

        DesiredState desired = DesiredState.Compute(backend, Underlay, _vxlan?.Index, peers);

        // Adds in dependency order (FDB and neighbour before the route that needs them), removals the reverse.
        if (_vxlan is not null)
        {
            int dev = _vxlan.Index;
            IReadOnlyList<FdbEntry> fdb = dataplane.ListFdb(dev);
            foreach (FdbEntry entry in desired.Fdb.Where(e => !fdb.Contains(e)))
                Try($"fdb append {entry.Mac} dst {entry.Destination}", () => dataplane.AppendFdb(entry));
            IReadOnlyList<NeighbourEntry> neighbours = dataplane.ListNeighbours(dev);
            foreach (NeighbourEntry n in desired.Neighbours.Where(n => !neighbours.Contains(n)))
                Try($"neigh replace {n.Address} lladdr {n.Mac}", () => dataplane.ReplaceNeighbour(n));
        }

        IReadOnlyList<AgentRoute> routes = dataplane.ListRoutes();
        foreach (AgentRoute route in desired.Routes.Where(r => !routes.Contains(r)))
            Try($"route replace {route.Dst} via {route.Gateway} dev {route.OutIndex}{(route.OnLink ? " onlink" : "")}",
                () => dataplane.ReplaceRoute(route));
        var wantedDst = desired.Routes.Select(r => r.Dst).ToHashSet();
        foreach (AgentRoute stale in routes.Where(r => !wantedDst.Contains(r.Dst)))
            Try($"route del {stale.Dst} via {stale.Gateway}", () => dataplane.DeleteRoute(stale));

        if (_vxlan is not null)
        {
            int dev = _vxlan.Index;
            foreach (NeighbourEntry stale in dataplane.ListNeighbours(dev).Where(n => !desired.Neighbours.Contains(n)))
                Try($"neigh del {stale.Address} lladdr {stale.Mac}", () => dataplane.DeleteNeighbour(stale));
            foreach (FdbEntry stale in dataplane.ListFdb(dev).Where(e => !desired.Fdb.Contains(e)))
                Try($"fdb del {stale.Mac} dst {stale.Destination}", () => dataplane.DeleteFdb(stale));
        }
        else if (dataplane.FindVxlan(VxlanSpec.DefaultName) is { } leftover)
        {
            // A previous run with a VXLAN backend: its routes were replaced above; the device (and with it its
            // neighbours and FDB entries) goes last, so no peer was without a route in between.
            Try($"delete VXLAN device {leftover.Name} of the previous backend", () => dataplane.DeleteLink(leftover.Index));
        }

        return new ReconcileReport(peers.Count, desired.Routes.Count, desired.Neighbours.Count, desired.Fdb.Count,
            changes, errors, desired.Unreachable, clock.Elapsed);
    }
}
