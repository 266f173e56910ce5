namespace CniSharp.Netlink;

/// <summary>
/// Turns one reply message into an item, or declines it (wrong kind, filtered out). The filter travels as
/// an argument so parsers can be static and allocation-free.
/// </summary>
internal delegate bool NetlinkParser<TFilter, TItem>(NetlinkMessage message, in TFilter filter, out TItem item);
