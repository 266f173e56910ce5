using CniSharp.Interop;

namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// The nf_tables subsystem over one NETLINK_NETFILTER socket: transactions (<see cref="Begin"/>) and the few
/// reads CniSharp needs. Acts on the network namespace it was opened in. Not thread-safe.
/// </summary>
internal sealed class NfTables : IDisposable
{
    private readonly NetfilterNetlink _nf;
    private readonly NftBatch _batch = new();

    internal NfTables(NetfilterNetlink nf) => _nf = nf;

    /// <summary>The socket, for another nfnetlink subsystem to share (<see cref="ConntrackNetlink.Over"/>).</summary>
    internal NetfilterNetlink Netlink => _nf;

    /// <summary>Opens nf_tables in the calling thread's current network namespace.</summary>
    public static NfTables Open() => new(NetfilterNetlink.Open());

    /// <summary>
    /// Opens nf_tables, or returns null on a kernel without it (no NETLINK_NETFILTER, or no nf_tables subsystem,
    /// which nfnetlink answers with EINVAL): where nothing can have been added, removing finds nothing, so DEL
    /// and GC succeed.
    /// </summary>
    public static NfTables? TryOpen()
    {
        NfTables nft;
        try
        {
            nft = Open();
        }
        catch (UnixException e) when (e.Errno is Errno.EPROTONOSUPPORT or Errno.EAFNOSUPPORT)
        {
            return null;
        }
        try
        {
            nft.Generation();
            return nft;
        }
        catch (NetlinkException e) when (e.Errno is Errno.EINVAL or Errno.EOPNOTSUPP)
        {
            nft.Dispose();
            return null;
        }
        catch
        {
            nft.Dispose();
            throw;
        }
    }

    /// <summary>Starts a transaction in the shared buffer (one at a time).</summary>
    public NftBatch Begin() => _batch.Start(_nf.BeginTransaction(NfnlSubsystem.NfTables));

    /// <summary>
    /// Equivalent to: nft list set {family} {table} {set}, the elements only. Null when the table or the set
    /// does not exist (ENOENT): nothing was ever added to it.
    /// </summary>
    public List<NftElement>? ListElements(NfProto family, string table, string set)
    {
        NetlinkMessageWriter w = _nf.Begin(NftMsgType.GetSetElem, family, NlmFlags.Dump);
        w.WriteString(NftSetElemListAttr.Set, set);
        w.WriteString(NftSetElemListAttr.Table, table);
        var batches = new List<NftElement[]>();
        NetlinkAck ack = _nf.Query(w, 0, NftElementParser.TryParse, batches);
        if (ack.Errno == (int)Errno.ENOENT) return null;
        if (ack.Failed) throw ack.ToException($"list set {NftBatch.Name(family)} {table} {set}");
        var elements = new List<NftElement>();
        foreach (NftElement[] batch in batches)
            elements.AddRange(batch);
        return elements;
    }

    /// <summary>
    /// The ruleset generation (NFT_MSG_GETGEN): the cheapest request nf_tables answers, so a reply proves the
    /// subsystem is there and this process may talk to it.
    /// </summary>
    public uint Generation()
    {
        NetlinkMessageWriter w = _nf.Begin(NftMsgType.GetGen, NfProto.Unspec, NlmFlags.None);
        var generations = new List<uint>(1);
        NetlinkAck ack = _nf.Query(w, 0, TryParseGeneration, generations);
        if (ack.Failed) throw ack.ToException("get the nf_tables generation");
        return generations.Count > 0 ? generations[0] : throw new NetlinkException("get the nf_tables generation", (int)Errno.EPROTO, "no NFT_MSG_NEWGEN in the reply");
    }

    public void Dispose() => _nf.Dispose();

    private static bool TryParseGeneration(NetlinkMessage message, in int _, out uint generation)
    {
        generation = 0;
        if (!message.Is(NftMsgType.NewGen)) return false;
        NetlinkAttributeReader attributes = message.Attributes<NfGenMsg>();
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type == (ushort)NftGenAttr.Id)
            {
                generation = attribute.GetUInt32BigEndian();
                return true;
            }
        }
        return false;
    }
}
