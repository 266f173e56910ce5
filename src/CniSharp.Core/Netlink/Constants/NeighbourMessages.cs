namespace CniSharp.Netlink;

/// <summary>RTM_*NEIGH message types (linux/rtnetlink.h), kept apart from <see cref="NlMsgType"/> until the neighbour
/// verbs move in with the other rtnetlink families.</summary>
internal static class NeighbourMessages
{
    public const NlMsgType NewNeigh = (NlMsgType)28;   // RTM_NEWNEIGH
    public const NlMsgType DelNeigh = (NlMsgType)29;   // RTM_DELNEIGH
    public const NlMsgType GetNeigh = (NlMsgType)30;   // RTM_GETNEIGH
}
