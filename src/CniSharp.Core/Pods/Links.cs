using CniSharp.Interop;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Pods;

internal static class Links
{
    /// <summary>ip link del, where "already gone" is success (a concurrent DEL, or the netns took it along).</summary>
    public static void DeleteIgnoringMissing(IRouteNetlink nl, int index)
    {
        try
        {
            nl.DeleteLink(index);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            // Already gone: DEL is idempotent.
        }
    }
}
