namespace CniSharp.Netlink.Route;

/// <summary>RFC 2863 operational state (IFLA_OPERSTATE).</summary>
internal enum OperState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}
