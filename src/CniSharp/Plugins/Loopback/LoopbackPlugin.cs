using System.Net.Sockets;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Namespaces;
using CniSharp.Netlink.Route;
using CniSharp.Pods;

namespace CniSharp.Plugins.Loopback;

/// <summary>
/// cnisharp-loopback: brings "lo" up in the container. It ignores CNI_IFNAME, as the reference does: a
/// namespace has exactly one loopback device.
/// </summary>
internal sealed class LoopbackPlugin(Func<IRouteNetlink> openNetlink) : IPlugin
{
    public const string TypeName = PluginTypes.Loopback;

    private const string Lo = "lo";

    public string Type => TypeName;

    public CniResult Add(PluginRequest request)
    {
        using NetNamespace netns = ContainerNamespace.OpenRequired(request.Args);
        List<AddressInfo> addresses = netns.Run(_ =>
        {
            using IRouteNetlink nl = openNetlink();
            LinkInfo lo = RequireLoopback(nl);
            nl.SetLinkUp(lo.Index);
            return nl.ListAddresses(lo.Index).ToList();
        });

        // Chained after another plugin: pass its result through unchanged, as the spec asks.
        if (request.Conf.ParsePrevResult() is CniResult previous)
            return previous;

        var result = new CniResult { CniVersion = request.Conf.EffectiveVersion };
        result.Interfaces.Add(new CniInterface { Name = Lo, Mac = "00:00:00:00:00:00", Sandbox = request.Args.NetNs });
        foreach (AddressInfo a in addresses)
            if (a.Address.Family is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                result.Ips.Add(new CniIPConfig { Address = a.Address, Interface = 0 });
        return result;
    }

    public void Del(PluginRequest request)
    {
        // No namespace left means no loopback left: DEL succeeds.
        using NetNamespace? netns = ContainerNamespace.OpenIfPresent(request.Args);
        netns?.Run(_ =>
        {
            using IRouteNetlink nl = openNetlink();
            if (nl.GetLink(Lo) is LinkInfo lo)
                nl.SetLinkUp(lo.Index, up: false);
        });
    }

    public void Check(PluginRequest request)
    {
        using NetNamespace netns = ContainerNamespace.OpenRequired(request.Args);
        netns.Run(_ =>
        {
            using IRouteNetlink nl = openNetlink();
            LinkInfo lo = RequireLoopback(nl);
            if (!lo.IsUp)
                throw new CniException(CniErrorCode.Internal, $"loopback \"lo\" in {request.Args.NetNs} is down");
        });
    }

    /// <summary>Nothing can stop a loopback from serving ADD.</summary>
    public void Status(PluginRequest request) { }

    /// <summary>A loopback keeps no state outside the namespace, so there is nothing to collect.</summary>
    public void Gc(PluginRequest request) { }

    private static LinkInfo RequireLoopback(IRouteNetlink nl) =>
        nl.GetLink(Lo) is LinkInfo lo && (lo.Flags & LinkFlags.Loopback) != 0
            ? lo
            : throw new CniException(CniErrorCode.Internal, "the namespace has no loopback device \"lo\"");
}
