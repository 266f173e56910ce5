using CniSharp.Interop;
using CniSharp.Netlink;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// Removes the elements of some sets whose owner comment a predicate selects: each set is listed, then every
/// selected element is deleted in one transaction. Deleting by the listed key, owner-checked, is what makes DEL
/// safe when a key (an IP, a port) has meanwhile been given to someone else.
/// </summary>
internal static class OwnedElements
{
    // An element can vanish between the listing and the delete (a concurrent GC): list again, a few times.
    private const int Attempts = 3;

    /// <summary>Returns the removed elements per set; sets (or the table) that do not exist count as empty.</summary>
    public static Dictionary<string, List<NftElement>> Remove(NfTables nft, NfProto family, string table,
        IReadOnlyList<string> sets, Func<string?, bool> selected)
    {
        for (int attempt = 1; ; attempt++)
        {
            // Every listing first: a request shares the socket's buffer with the transaction being built.
            var removed = new Dictionary<string, List<NftElement>>(StringComparer.Ordinal);
            foreach (string set in sets)
            {
                List<NftElement> doomed = nft.ListElements(family, table, set)?.Where(e => selected(e.Comment)).ToList() ?? [];
                if (doomed.Count > 0) removed[set] = doomed;
            }
            if (removed.Count == 0) return removed;
            NftBatch batch = nft.Begin();
            foreach ((string set, List<NftElement> doomed) in removed)
                batch.DeleteElements(family, table, set, doomed.Select(KeyOnly).ToList());
            try
            {
                batch.Commit();
                return removed;
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOENT && attempt < Attempts)
            {
            }
        }
    }

    // A delete names the key (and the range end of a concatenated interval); the value and comment are not sent.
    private static NftElement KeyOnly(NftElement element) =>
        new(element.Key) { KeyEnd = element.KeyEnd, Flags = element.Flags & NftSetElemFlags.IntervalEnd };
}
