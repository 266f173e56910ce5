namespace CniSharp.Netlink.Route;

/// <summary>IFF_* link flags (linux/if.h).</summary>
[Flags]
internal enum LinkFlags : uint
{
    None = 0,
    Up = 0x1,
    Broadcast = 0x2,
    Loopback = 0x8,
    PointToPoint = 0x10,
    Running = 0x40,
    NoArp = 0x80,
    Promisc = 0x100,
    AllMulti = 0x200,
    Multicast = 0x1000,
    LowerUp = 0x10000,
}
