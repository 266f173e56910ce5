namespace CniSharp.Netlink.Route;

/// <summary>RTPROT_* (linux/rtnetlink.h): who installed a route.</summary>
internal enum RouteProtocol : byte
{
    Unspec = 0,        // RTPROT_UNSPEC: in a delete request, "any protocol"
    Redirect = 1,      // RTPROT_REDIRECT
    Kernel = 2,        // RTPROT_KERNEL: e.g. prefix routes of addresses
    Boot = 3,          // RTPROT_BOOT: what ip(8) uses by default
    Static = 4,        // RTPROT_STATIC
}
