using System.Net;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.Tests.Ipam;

/// <summary>In-memory <see cref="IIpamStore"/>, the shape of the reference's backend/testing/fake_store.go.</summary>
internal sealed class FakeIpamStore : IIpamStore
{
    public Dictionary<IPAddress, string> Owners { get; } = [];

    public Dictionary<int, IPAddress> LastReserved { get; } = [];

    public int LockCount { get; private set; }

    public bool Locked { get; private set; }

    public bool Exists { get; set; } = true;

    public FakeIpamStore Reserved(string address, string owner)
    {
        Owners[IPAddress.Parse(address)] = owner;
        return this;
    }

    public FakeIpamStore WithLastReserved(int set, string address)
    {
        LastReserved[set] = IPAddress.Parse(address);
        return this;
    }

    public IDisposable Lock()
    {
        Assert.False(Locked, "the store was locked twice");
        Locked = true;
        LockCount++;
        return new Unlocker(this);
    }

    public bool Reserve(string id, string ifName, IPAddress address, int rangeSetIndex)
    {
        AssertLocked();
        if (Owners.ContainsKey(address)) return false;
        Owners[address] = IpReservation.OwnerKey(id, ifName);
        LastReserved[rangeSetIndex] = address;
        return true;
    }

    public IPAddress? LastReservedIP(int rangeSetIndex)
    {
        AssertLocked();
        return LastReserved.GetValueOrDefault(rangeSetIndex);
    }

    public IReadOnlyList<IPAddress> GetByID(string id, string ifName)
    {
        AssertLocked();
        return Owners.Where(o => o.Value == IpReservation.OwnerKey(id, ifName)).Select(o => o.Key).ToList();
    }

    public int ReleaseByID(string id, string ifName)
    {
        AssertLocked();
        var doomed = Owners.Where(o => o.Value == IpReservation.OwnerKey(id, ifName)).Select(o => o.Key).ToList();
        if (doomed.Count == 0) doomed = Owners.Where(o => o.Value == id).Select(o => o.Key).ToList();
        foreach (IPAddress address in doomed) Owners.Remove(address);
        return doomed.Count;
    }

    public IReadOnlyList<IpReservation> List()
    {
        AssertLocked();
        return Owners.Select(o => new IpReservation(o.Key, o.Value)).ToList();
    }

    public bool Release(IPAddress address)
    {
        AssertLocked();
        return Owners.Remove(address);
    }

    public Exception? WriteFailure { get; set; }

    public void EnsureWritable()
    {
        AssertLocked();
        if (WriteFailure is not null) throw WriteFailure;
    }

    private void AssertLocked() => Assert.True(Locked, "the store was used without its lock");

    private sealed class Unlocker(FakeIpamStore store) : IDisposable
    {
        public void Dispose() => store.Locked = false;
    }
}
