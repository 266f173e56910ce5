using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Namespaces;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Pods;

/// <summary>
/// Applies a result to the container's interface (the reference's ConfigureIface). Runs inside the container
/// namespace: the netlink socket and /proc/sys/net both resolve against the calling thread's namespace.
/// </summary>
internal static partial class ContainerInterface
{
    /// <summary>What the host side needs to know afterwards.</summary>
    internal sealed record State(int Index, PhysicalAddress? Mac, int Mtu);

    /// <summary>IPv6 DAD may hold an address tentative for ~1 s per probe; bound the wait like the reference.</summary>
    private static readonly TimeSpan DadTimeout = TimeSpan.FromSeconds(5);

    /// <param name="beforeRoutes">
    /// Runs once the link is up and its addresses usable, before the routes go in: where a plugin makes its
    /// gateway reachable (cnisharp-ptp: the link-local gateway's neighbour entry and link route).
    /// </param>
    public static State Configure(IRouteNetlink nl, string ifName, CniResult result, int resultIndex, bool enableDad,
        Action<IRouteNetlink, LinkInfo>? beforeRoutes = null)
    {
        LinkInfo link = nl.GetLink(ifName)
            ?? throw new InvalidOperationException($"container interface \"{ifName}\" vanished after it was created");
        List<CniIPConfig> ips = result.Ips.FindAll(ip => ip.Interface == resultIndex);
        bool hasIPv4 = ips.Exists(ip => ip.Address.IsIPv4);
        bool hasIPv6 = ips.Exists(ip => !ip.Address.IsIPv4);

        if (hasIPv4)
            // A gratuitous ARP on up and on address change refreshes peers' caches when IPs are reused.
            Sysctl.TrySet($"net/ipv4/conf/{ifName}/arp_notify", "1");
        if (hasIPv6)
            PrepareIPv6(ifName, enableDad);

        foreach (CniIPConfig ip in ips)
        {
            // Without DAD an IPv6 address is usable at once: no tentative state, no settle loop (plugins#680).
            AddressFlags flags = !ip.Address.IsIPv4 && !enableDad ? AddressFlags.NoDad : AddressFlags.None;
            nl.AddAddress(link.Index, ip.Address, flags);
        }
        nl.SetLinkUp(link.Index);
        if (hasIPv6 && enableDad)
            WaitForDad(nl, link, DadTimeout);
        beforeRoutes?.Invoke(nl, link);

        foreach (CniRoute route in result.Routes)
            AddRoute(nl, link, route, ips);
        return new State(link.Index, link.Mac, link.Mtu);
    }

    private static void PrepareIPv6(string ifName, bool enableDad)
    {
        // A namespace may start with IPv6 disabled; keep_addr_on_down keeps addresses across a link flap.
        Sysctl.TrySet("net/ipv6/conf/lo/disable_ipv6", "0");
        Sysctl.TrySet($"net/ipv6/conf/{ifName}/disable_ipv6", "0");
        Sysctl.TrySet($"net/ipv6/conf/{ifName}/keep_addr_on_down", "1");
        if (enableDad)
        {
            Sysctl.TrySet($"net/ipv6/conf/{ifName}/enhanced_dad", "1");
            Sysctl.TrySet($"net/ipv6/conf/{ifName}/accept_dad", "1");
        }
        else
        {
            // Also covers the link-local address the kernel adds on link up.
            Sysctl.TrySet($"net/ipv6/conf/{ifName}/accept_dad", "0");
        }
    }

    private static void AddRoute(IRouteNetlink nl, LinkInfo link, CniRoute route, List<CniIPConfig> ips)
    {
        // A route without gw goes via the first gateway of its family, as the spec allows ("may be used").
        IPAddress? gateway = route.Gw ?? ips.Find(ip => ip.Gateway is not null && ip.Address.Family == route.Dst.Family)?.Gateway;
        var request = new RouteRequest
        {
            Dst = route.Dst,
            Gateway = gateway,
            OutIndex = link.Index,
            Table = route.Table,
            Scope = route.Scope is int scope ? (byte)scope : null,
            Priority = route.Priority,
            Mtu = route.Mtu,
            AdvMss = route.AdvMss,
        };
        try
        {
            nl.AddRoute(request, append: true);
        }
        catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
        {
            // The identical route is already there (listed twice, or added by the kernel): nothing to do.
        }
    }

    private static void WaitForDad(IRouteNetlink nl, LinkInfo link, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            bool tentative = false;
            foreach (AddressInfo a in nl.ListAddresses(link.Index, AddressFamily.InterNetworkV6))
            {
                if ((a.Flags & AddressFlags.DadFailed) != 0)
                    throw new CniException(CniErrorCode.Internal,
                        $"IPv6 duplicate address detection failed for {a.Address} on \"{link.Name}\": another host uses it");
                tentative |= (a.Flags & AddressFlags.Tentative) != 0;
            }
            if (!tentative) return;
            if (DateTime.UtcNow >= deadline)
                throw new CniException(CniErrorCode.Internal,
                    $"IPv6 addresses on \"{link.Name}\" still tentative after {timeout.TotalSeconds:0} s of duplicate address detection");
            Thread.Sleep(50);
        }
    }
}
