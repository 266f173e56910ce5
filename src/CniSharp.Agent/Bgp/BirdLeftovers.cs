using System.Net.Sockets;
using CniSharp.Ip;
using CniSharp.Netlink.Route;
using Serilog;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// What a BGP run of the agent leaves for a run with another backend to clear: a BIRD kept running
/// (--bird-keep-on-exit), or the kernel routes of a BIRD stopped for a graceful restart. Only ever this state
/// dir's BIRD, and only BIRD routes inside the cluster CIDRs.
/// </summary>
internal static class BirdLeftovers
{
    public static void Retire(BirdPaths paths, IReadOnlyList<IPPrefix> clusterCidrs, ILogger log)
    {
        if (!File.Exists(paths.Config)) return;
        StopKept(paths, log);
        using RouteNetlink netlink = RouteNetlink.Open();
        foreach (AddressFamily family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            foreach (RouteInfo route in netlink.ListRoutes(family, (RouteProtocol)UnderlayRoutes.BirdProtocol))
            {
                if (!clusterCidrs.Any(c => c.IsIPv4 == route.Dst.IsIPv4 && c.Network.Contains(route.Dst.Address))) continue;
                netlink.DeleteRoute(new RouteRequest { Dst = route.Dst, Gateway = route.Gateway, OutIndex = route.OutIndex, Priority = route.Priority });
                log.Information("Removed {Dst} via {Gateway}, left by the BIRD of a previous BGP run", route.Dst, route.Gateway);
            }
        }
        File.Delete(paths.Config);
    }

    /// <summary>Stops the BIRD serving this state dir, if one runs: 'down' says goodbye to the peers and removes its kernel routes.</summary>
    public static void StopKept(BirdPaths paths, ILogger log)
    {
        using BirdProcess? bird = BirdProcess.FindRunning(paths);
        if (bird is null) return;
        string? birdc = ExternalCommand.Resolve("birdc");
        bool asked = birdc is not null && new Birdc(birdc, paths.ControlSocket).Down();
        if (!asked || !bird.WaitForExit(TimeSpan.FromSeconds(2))) bird.Kill();
        log.Information("Stopped the BIRD (pid {Pid}) left running under {StateDir}", bird.Pid, paths.StateDir);
    }
}
