namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// One nf_tables transaction, verb by verb ("nft add table", "nft add element", ...): everything added is
/// applied by <see cref="Commit"/> all at once, or nothing is. Each message carries exactly the attributes
/// nft sends for the same command (golden-tested), except the set ids nft adds to lookups and element lists
/// for its own bookkeeping: every set CniSharp refers to has a name, which the kernel resolves, also within
/// the transaction that creates it; and nft's display hints in a set's user data.
/// </summary>
internal sealed class NftBatch
{
    private NetfilterTransaction? _tx;
    private uint _setIds;

    /// <summary>How many nf_tables messages the transaction holds.</summary>
    public int Count => _tx?.Count ?? 0;

    internal NftBatch Start(NetfilterTransaction tx)
    {
        _tx = tx;
        _setIds = 0;
        return this;
    }

    /// <summary>Equivalent to: nft add table {family} {table} (no error when it exists).</summary>
    public NftBatch AddTable(NfProto family, string table)
    {
        NetlinkMessageWriter w = Add(NftMsgType.NewTable, family, NlmFlags.Create, $"add table {Name(family)} {table}");
        w.WriteString(NftTableAttr.Name, table);
        w.WriteUInt32BigEndian(NftTableAttr.Flags, 0);
        return this;
    }

    /// <summary>
    /// Equivalent to: nft add chain {family} {table} {chain} [{ type T hook H priority P; policy accept; }]
    /// (no error when it exists with the same hook).
    /// </summary>
    public NftBatch AddChain(NfProto family, string table, string chain, NftBaseChain? hook = null)
    {
        NetlinkMessageWriter w = Add(NftMsgType.NewChain, family, NlmFlags.Create, $"add chain {Name(family)} {table} {chain}");
        w.WriteString(NftChainAttr.Table, table);
        w.WriteString(NftChainAttr.Name, chain);
        if (hook is not null)
        {
            w.WriteString(NftChainAttr.Type, hook.Type);
            w.WriteUInt32BigEndian(NftChainAttr.Policy, (uint)NftVerdict.Accept);
            using (w.BeginNested(NftChainAttr.Hook, nestedFlag: true))
            {
                w.WriteUInt32BigEndian(NftHookAttr.HookNum, (uint)hook.Hook);
                w.WriteUInt32BigEndian(NftHookAttr.Priority, unchecked((uint)hook.Priority));
            }
        }
        return this;
    }

    /// <summary>
    /// Equivalent to: nft add set|map {family} {table} {name} { type ...; flags ...; }. With
    /// <paramref name="exclusive"/> an existing set fails the transaction with EEXIST (NLM_F_EXCL), which makes
    /// "create it and what depends on it, once" safe between concurrent processes.
    /// </summary>
    public NftBatch AddSet(NfProto family, string table, NftSetSpec set, bool exclusive = false)
    {
        NlmFlags flags = NlmFlags.Create | (exclusive ? NlmFlags.Excl : NlmFlags.None);
        string kind = (set.Flags & NftSetFlags.Map) != 0 ? "map" : "set";
        NetlinkMessageWriter w = Add(NftMsgType.NewSet, family, flags, $"add {kind} {Name(family)} {table} {set.Name}");
        w.WriteString(NftSetAttr.Table, table);
        w.WriteString(NftSetAttr.Name, set.Name);
        w.WriteUInt32BigEndian(NftSetAttr.Flags, (uint)set.Flags);
        w.WriteUInt32BigEndian(NftSetAttr.KeyType, set.KeyType);
        w.WriteUInt32BigEndian(NftSetAttr.KeyLength, (uint)set.KeyLength);
        if (set.DataType is uint dataType) w.WriteUInt32BigEndian(NftSetAttr.DataType, dataType);
        if (set.DataLength is int dataLength) w.WriteUInt32BigEndian(NftSetAttr.DataLength, (uint)dataLength);
        // Required by the kernel (EINVAL without it): the set's id within this transaction, numbered from 1.
        w.WriteUInt32BigEndian(NftSetAttr.Id, ++_setIds);
        if (set.ConcatFieldLengths is { } fields)
        {
            // The pipapo backend of a concatenated interval set needs each field's width.
            using (w.BeginNested(NftSetAttr.Desc, nestedFlag: true))
            using (w.BeginNested(NftSetDescAttr.Concat, nestedFlag: true))
            {
                foreach (int length in fields)
                {
                    using (w.BeginNested(NftListAttr.Elem, nestedFlag: true))
                        w.WriteUInt32BigEndian(NftSetFieldAttr.Length, (uint)length);
                }
            }
        }
        return this;
    }

    /// <summary>Equivalent to: nft add rule {family} {table} {chain} {expressions}; dispose the writer to end the rule.</summary>
    public NftRuleWriter AddRule(NfProto family, string table, string chain, string rule)
    {
        NetlinkMessageWriter w = Add(NftMsgType.NewRule, family, NlmFlags.Create | NlmFlags.Append,
            $"add rule {Name(family)} {table} {chain} {rule}");
        w.WriteString(NftRuleAttr.Table, table);
        w.WriteString(NftRuleAttr.Chain, chain);
        return new NftRuleWriter(w, w.BeginNested(NftRuleAttr.Expressions, nestedFlag: true));
    }

    /// <summary>
    /// Equivalent to: nft add element {family} {table} {set} { ... }: an identical element is no error, a map key
    /// already holding another value is EEXIST. <paramref name="exclusive"/> (nft create element) makes any
    /// existing key EEXIST.
    /// </summary>
    public NftBatch AddElements(NfProto family, string table, string set, IReadOnlyList<NftElement> elements, string? what = null,
        bool exclusive = false)
    {
        NetlinkMessageWriter w = Add(NftMsgType.NewSetElem, family, NlmFlags.Create | (exclusive ? NlmFlags.Excl : NlmFlags.None),
            $"add element {Name(family)} {table} {set} {what ?? CountOf(elements)}");
        WriteElements(w, table, set, elements, withValues: true);
        return this;
    }

    /// <summary>Equivalent to: nft delete element {family} {table} {set} { keys } (ENOENT when one is absent).</summary>
    public NftBatch DeleteElements(NfProto family, string table, string set, IReadOnlyList<NftElement> elements, string? what = null)
    {
        NetlinkMessageWriter w = Add(NftMsgType.DelSetElem, family, NlmFlags.None,
            $"delete element {Name(family)} {table} {set} {what ?? CountOf(elements)}");
        WriteElements(w, table, set, elements, withValues: false);
        return this;
    }

    /// <summary>Equivalent to: nft flush set {family} {table} {set}.</summary>
    public NftBatch FlushSet(NfProto family, string table, string set)
    {
        NetlinkMessageWriter w = Add(NftMsgType.DelSetElem, family, NlmFlags.None, $"flush set {Name(family)} {table} {set}");
        w.WriteString(NftSetElemListAttr.Set, set);
        w.WriteString(NftSetElemListAttr.Table, table);
        return this;
    }

    /// <summary>Equivalent to: nft flush chain {family} {table} {chain} (deletes its rules).</summary>
    public NftBatch FlushChain(NfProto family, string table, string chain)
    {
        NetlinkMessageWriter w = Add(NftMsgType.DelRule, family, NlmFlags.None, $"flush chain {Name(family)} {table} {chain}");
        w.WriteString(NftRuleAttr.Table, table);
        w.WriteString(NftRuleAttr.Chain, chain);
        return this;
    }

    /// <summary>Sends the transaction; throws <see cref="NetlinkException"/> naming the refused message.</summary>
    public void Commit()
    {
        NetfilterTransaction tx = _tx ?? throw new InvalidOperationException("no nf_tables transaction was begun");
        _tx = null;
        tx.Commit();
    }

    /// <summary>Has the kernel check the transaction without applying it (nft --check); throws like <see cref="Commit"/>.</summary>
    public void Validate()
    {
        NetfilterTransaction tx = _tx ?? throw new InvalidOperationException("no nf_tables transaction was begun");
        _tx = null;
        tx.Validate();
    }

    /// <summary>"inet", "bridge", ...: the family as nft(8) writes it.</summary>
    public static string Name(NfProto family) => family switch
    {
        NfProto.Inet => "inet",
        NfProto.Ipv4 => "ip",
        NfProto.Ipv6 => "ip6",
        NfProto.Bridge => "bridge",
        _ => family.ToString(),
    };

    private NetlinkMessageWriter Add(NftMsgType type, NfProto family, NlmFlags flags, string operation) =>
        (_tx ?? throw new InvalidOperationException("no nf_tables transaction was begun")).Add(type, family, flags, operation);

    private static void WriteElements(NetlinkMessageWriter w, string table, string set, IReadOnlyList<NftElement> elements, bool withValues)
    {
        w.WriteString(NftSetElemListAttr.Table, table);
        w.WriteString(NftSetElemListAttr.Set, set);
        using (w.BeginNested(NftSetElemListAttr.Elements, nestedFlag: true))
        {
            for (int i = 0; i < elements.Count; i++)
            {
                NftElement element = elements[i];
                // libnftnl numbers the list items 1, 2, 3...; the kernel reads them in order, whatever the type.
                using (w.BeginNested((NftListAttr)(i + 1), nestedFlag: true))
                {
                    if (element.Flags != NftSetElemFlags.None)
                        w.WriteUInt32BigEndian(NftSetElemAttr.Flags, (uint)element.Flags);
                    WriteValue(w, NftSetElemAttr.Key, element.Key);
                    if (element.KeyEnd is { } keyEnd)
                        WriteValue(w, NftSetElemAttr.KeyEnd, keyEnd);
                    if (withValues && element.Data is { } data)
                        WriteValue(w, NftSetElemAttr.Data, data);
                    if (withValues)
                        NftUserData.WriteElement(w, element);
                }
            }
        }
    }

    private static void WriteValue(NetlinkMessageWriter w, NftSetElemAttr attribute, byte[] value)
    {
        using (w.BeginNested(attribute, nestedFlag: true))
            w.WriteBytes(NftDataAttr.Value, value);
    }

    private static string CountOf(IReadOnlyList<NftElement> elements) => $"({elements.Count} element(s))";
}
