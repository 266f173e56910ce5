using CniSharp.Ipam;
using CniSharp.Netlink.Route;
using CniSharp.Plugins.Bridge;
using CniSharp.Plugins.HostLocal;
using CniSharp.Plugins.Loopback;
using CniSharp.Plugins.Ptp;

namespace CniSharp.Plugins;

/// <summary>The plugins compiled into this binary; the composition root builds the registry from this list.</summary>
internal static class PluginCatalog
{
    public static IReadOnlyList<IPlugin> Create() =>
    [
        new BridgePlugin(RouteNetlink.Open, IpamFactory.For),
        new HostLocalPlugin(),
        new LoopbackPlugin(RouteNetlink.Open),
        new PtpPlugin(RouteNetlink.Open, IpamFactory.For),
    ];
}
