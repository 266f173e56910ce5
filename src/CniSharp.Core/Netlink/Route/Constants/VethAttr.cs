namespace CniSharp.Netlink.Route;

/// <summary>VETH_INFO_* attributes nested in IFLA_INFO_DATA of a veth (linux/veth.h).</summary>
internal enum VethAttr : ushort
{
    Peer = 1,          // VETH_INFO_PEER: a struct ifinfomsg followed by the peer's IFLA_* attributes
}
