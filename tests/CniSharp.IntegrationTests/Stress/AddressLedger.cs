namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// Who holds which address right now, fed with every successful ADD and DEL of a run: an address handed out
/// while another live pod still holds it is recorded as a conflict, however briefly the two overlapped.
/// </summary>
internal sealed class AddressLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _holders = new();
    private readonly List<string> _conflicts = [];

    public int HandedOut { get; private set; }

    public IReadOnlyList<string> Conflicts
    {
        get { lock (_gate) return [.. _conflicts]; }
    }

    public void Claimed(StressPod pod)
    {
        lock (_gate)
        {
            HandedOut++;
            string address = pod.Address!;
            if (_holders.TryGetValue(address, out string? holder))
                _conflicts.Add($"{address} handed to {pod.ContainerId} while {holder} still held it");
            _holders[address] = pod.ContainerId;
        }
    }

    /// <summary>Call before the DEL: the pod forgets its address once DEL succeeds.</summary>
    public void Released(string address, string containerId)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(address, out string? holder) && holder == containerId)
                _holders.Remove(address);
        }
    }

    /// <summary>True when some live pod other than containerId holds the address.</summary>
    public bool HeldByOther(string address, string containerId)
    {
        lock (_gate) return _holders.TryGetValue(address, out string? holder) && holder != containerId;
    }
}
