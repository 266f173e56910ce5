using CniSharp.Agent.Masquerade;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Fakes;

/// <summary>Records what the loop asks the node's masquerade to be; can be told to fail like a refusing kernel.</summary>
internal sealed class FakeMasquerade : IMasquerade
{
    private readonly object _gate = new();
    private (IReadOnlyList<IPPrefix> Sources, IReadOnlyList<IPPrefix> Exempt)? _last;

    private volatile bool _fail;

    public bool Fail
    {
        get => _fail;
        set => _fail = value;
    }

    public (IReadOnlyList<IPPrefix> Sources, IReadOnlyList<IPPrefix> Exempt)? Last
    {
        get { lock (_gate) return _last; }
    }

    public void Sync(IReadOnlyList<IPPrefix> localSubnets, IReadOnlyList<IPPrefix> exempt)
    {
        if (Fail) throw new Netlink.NetlinkException("add rule inet cnisharp node-masq-postrouting", 95, "Operation not supported");
        lock (_gate) _last = ([.. localSubnets], [.. exempt]);
    }
}
