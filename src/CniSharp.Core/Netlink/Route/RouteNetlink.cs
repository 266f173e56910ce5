namespace CniSharp.Netlink.Route;

/// <summary>
/// <see cref="IRouteNetlink"/> over rtnetlink. One request socket and one notification socket, both
/// created by <see cref="Open"/> in the calling thread's network namespace, which is where every verb acts
/// from then on, whichever thread calls it. Not thread-safe: the request buffer is shared.
/// </summary>
internal sealed partial class RouteNetlink : IRouteNetlink
{
    private readonly NetlinkSession _session;
    private readonly NetlinkSocket _events;
    private readonly List<LinkInfo> _linkScratch = new(1);

    internal RouteNetlink(INetlinkTransport requests, NetlinkSocket events)
    {
        _session = new NetlinkSession(requests);
        _events = events;
    }

    /// <summary>Opens rtnetlink in the calling thread's current network namespace (the caller does any setns).</summary>
    public static RouteNetlink Open()
    {
        NetlinkSocket requests = NetlinkSocket.Open(NetlinkProtocol.Route);
        try
        {
            // The notification socket is opened now, not when WaitForOperUp needs it, because a socket
            // belongs to the namespace of the thread that creates it and later calls may come from elsewhere.
            return new RouteNetlink(requests, NetlinkSocket.Open(NetlinkProtocol.Route));
        }
        catch
        {
            requests.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _events.Dispose();
    }

    /// <summary>"\"eth0\"" for error messages, or "link 7" when the name can't be had; only called on failure paths.</summary>
    private string DescribeLink(int index)
    {
        try
        {
            return GetLink(index) is { } link ? $"\"{link.Name}\"" : $"link {index}";
        }
        catch (NetlinkException)
        {
            // N.B. the lookup only decorates another error; its own failure must not replace that error.
            return $"link {index}";
        }
    }
}
