using CniSharp.Ip;

namespace CniSharp.Netlink.Route;

/// <summary>An address the kernel reports on a link (RTM_NEWADDR).</summary>
internal sealed record AddressInfo(int Index, IPPrefix Address, byte Scope, AddressFlags Flags);
