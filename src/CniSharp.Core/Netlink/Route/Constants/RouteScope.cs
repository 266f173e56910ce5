namespace CniSharp.Netlink.Route;

/// <summary>RT_SCOPE_* (linux/rtnetlink.h), shared by routes and addresses.</summary>
internal enum RouteScope : byte
{
    Universe = 0,      // RT_SCOPE_UNIVERSE
    Site = 200,        // RT_SCOPE_SITE
    Link = 253,        // RT_SCOPE_LINK
    Host = 254,        // RT_SCOPE_HOST
    Nowhere = 255,     // RT_SCOPE_NOWHERE: in a delete request, "any scope"
}
