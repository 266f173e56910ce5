namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// Writes a rule's expressions, one method per nf_tables expression, with the attributes in the order nft
/// writes them (nft --debug=netlink shows the same list). Dispose ends the rule.
/// </summary>
internal readonly struct NftRuleWriter : IDisposable
{
    private readonly NetlinkMessageWriter _w;
    private readonly NestedAttribute _expressions;

    internal NftRuleWriter(NetlinkMessageWriter w, NestedAttribute expressions)
    {
        _w = w;
        _expressions = expressions;
    }

    /// <summary>[ meta load {key} => reg {dreg} ]</summary>
    public NftRuleWriter Meta(NftMetaKey key, NftRegister dreg)
    {
        using (Expression("meta"))
        {
            _w.WriteUInt32BigEndian(NftMetaAttr.Key, (uint)key);
            _w.WriteUInt32BigEndian(NftMetaAttr.DestinationRegister, (uint)dreg);
        }
        return this;
    }

    /// <summary>[ cmp {op} reg {sreg} {data} ]</summary>
    public NftRuleWriter Cmp(NftRegister sreg, NftCmpOp op, ReadOnlySpan<byte> data)
    {
        using (Expression("cmp"))
        {
            _w.WriteUInt32BigEndian(NftCmpAttr.SourceRegister, (uint)sreg);
            _w.WriteUInt32BigEndian(NftCmpAttr.Op, (uint)op);
            using (_w.BeginNested(NftCmpAttr.Data, nestedFlag: true))
                _w.WriteBytes(NftDataAttr.Value, data);
        }
        return this;
    }

    /// <summary>[ payload load {length}b @ {base} header + {offset} => reg {dreg} ]</summary>
    public NftRuleWriter Payload(NftPayloadBase @base, uint offset, uint length, NftRegister dreg)
    {
        using (Expression("payload"))
        {
            _w.WriteUInt32BigEndian(NftPayloadAttr.DestinationRegister, (uint)dreg);
            _w.WriteUInt32BigEndian(NftPayloadAttr.Base, (uint)@base);
            _w.WriteUInt32BigEndian(NftPayloadAttr.Offset, offset);
            _w.WriteUInt32BigEndian(NftPayloadAttr.Length, length);
        }
        return this;
    }

    /// <summary>[ lookup reg {sreg} set {set} [dreg {dreg}] [0x1] ]: membership, its negation, or a map's value.</summary>
    public NftRuleWriter Lookup(NftRegister sreg, string set, NftRegister? dreg = null, bool inverted = false)
    {
        using (Expression("lookup"))
        {
            _w.WriteUInt32BigEndian(NftLookupAttr.SourceRegister, (uint)sreg);
            if (dreg is NftRegister d) _w.WriteUInt32BigEndian(NftLookupAttr.DestinationRegister, (uint)d);
            _w.WriteString(NftLookupAttr.Set, set);
            if (inverted) _w.WriteUInt32BigEndian(NftLookupAttr.Flags, 1); // NFT_LOOKUP_F_INV
        }
        return this;
    }

    /// <summary>[ nat {type} {family} addr_min reg {address} proto_min reg {port} ]</summary>
    public NftRuleWriter Nat(NftNatType type, NfProto family, NftRegister address, NftRegister port)
    {
        using (Expression("nat"))
        {
            _w.WriteUInt32BigEndian(NftNatAttr.Type, (uint)type);
            _w.WriteUInt32BigEndian(NftNatAttr.Family, (uint)family);
            _w.WriteUInt32BigEndian(NftNatAttr.AddressMinRegister, (uint)address);
            _w.WriteUInt32BigEndian(NftNatAttr.ProtoMinRegister, (uint)port);
        }
        return this;
    }

    /// <summary>[ masq ]: source NAT to the outgoing interface's address.</summary>
    public NftRuleWriter Masquerade()
    {
        using (Expression("masq")) { }
        return this;
    }

    /// <summary>[ fib {flags} {result} => reg {dreg} ], e.g. "fib daddr type".</summary>
    public NftRuleWriter Fib(NftFibFlags flags, NftFibResult result, NftRegister dreg)
    {
        using (Expression("fib"))
        {
            _w.WriteUInt32BigEndian(NftFibAttr.Flags, (uint)flags);
            _w.WriteUInt32BigEndian(NftFibAttr.Result, (uint)result);
            _w.WriteUInt32BigEndian(NftFibAttr.DestinationRegister, (uint)dreg);
        }
        return this;
    }

    /// <summary>[ ct load {key} => reg {dreg} ]</summary>
    public NftRuleWriter Ct(NftCtKey key, NftRegister dreg)
    {
        using (Expression("ct"))
        {
            _w.WriteUInt32BigEndian(NftCtAttr.Key, (uint)key);
            _w.WriteUInt32BigEndian(NftCtAttr.DestinationRegister, (uint)dreg);
        }
        return this;
    }

    /// <summary>[ bitwise reg {dreg} = ( reg {sreg} &amp; {mask} ) ^ {xor} ]</summary>
    public NftRuleWriter Bitwise(NftRegister sreg, NftRegister dreg, ReadOnlySpan<byte> mask, ReadOnlySpan<byte> xor)
    {
        using (Expression("bitwise"))
        {
            _w.WriteUInt32BigEndian(NftBitwiseAttr.SourceRegister, (uint)sreg);
            _w.WriteUInt32BigEndian(NftBitwiseAttr.DestinationRegister, (uint)dreg);
            _w.WriteUInt32BigEndian(NftBitwiseAttr.Length, (uint)mask.Length);
            using (_w.BeginNested(NftBitwiseAttr.Mask, nestedFlag: true))
                _w.WriteBytes(NftDataAttr.Value, mask);
            using (_w.BeginNested(NftBitwiseAttr.Xor, nestedFlag: true))
                _w.WriteBytes(NftDataAttr.Value, xor);
        }
        return this;
    }

    /// <summary>[ immediate reg 0 {verdict} [-> {chain}] ]: drop, accept, return, jump or goto.</summary>
    public NftRuleWriter Verdict(NftVerdict verdict, string? chain = null)
    {
        using (Expression("immediate"))
        {
            _w.WriteUInt32BigEndian(NftImmediateAttr.DestinationRegister, (uint)NftRegister.Verdict);
            using (_w.BeginNested(NftImmediateAttr.Data, nestedFlag: true))
            using (_w.BeginNested(NftDataAttr.Verdict, nestedFlag: true))
            {
                _w.WriteUInt32BigEndian(NftVerdictAttr.Code, unchecked((uint)verdict));
                if (chain is not null) _w.WriteString(NftVerdictAttr.Chain, chain);
            }
        }
        return this;
    }

    public void Dispose() => _expressions.Dispose();

    /// <summary>Opens NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA {...} }; the caller writes the data.</summary>
    private ExpressionScope Expression(string name)
    {
        NestedAttribute element = _w.BeginNested(NftListAttr.Elem, nestedFlag: true);
        _w.WriteString(NftExprAttr.Name, name);
        return new ExpressionScope(element, _w.BeginNested(NftExprAttr.Data, nestedFlag: true));
    }

    private readonly struct ExpressionScope(NestedAttribute element, NestedAttribute data) : IDisposable
    {
        public void Dispose()
        {
            data.Dispose();
            element.Dispose();
        }
    }
}
