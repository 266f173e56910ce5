using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Attachments;

/// <summary>
/// A plugin's part of releasing an attachment nobody will DEL, from its record alone: what it made on the host
/// (the host veth, and with it the routes and neighbours on it). <paramref name="host"/> is the host's rtnetlink.
/// Throws on failure; "already gone" is success.
/// </summary>
internal delegate void ReleaseHostSide(IRouteNetlink host, AttachmentRecord record);
