using System.Net;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// Where host-local keeps its reservations (the reference's backend.Store). Every method except
/// <see cref="Lock"/> and <see cref="Exists"/> must be called while holding the lock, so an implementation
/// may cache what it read until the lock is released.
/// </summary>
internal interface IIpamStore
{
    /// <summary>False when the network's state directory does not exist yet (nothing was ever reserved).</summary>
    bool Exists { get; }

    /// <summary>Creates the state directory if needed and blocks until the exclusive lock is held.</summary>
    IDisposable Lock();

    /// <summary>Reserves the address for (id, ifname); false when it is already taken.</summary>
    bool Reserve(string id, string ifName, IPAddress address, int rangeSetIndex);

    /// <summary>The round-robin marker of a range set, or null when there is none (or it is unreadable).</summary>
    IPAddress? LastReservedIP(int rangeSetIndex);

    /// <summary>Addresses reserved for exactly (id, ifname); legacy id-only reservations are not included.</summary>
    IReadOnlyList<IPAddress> GetByID(string id, string ifName);

    /// <summary>
    /// Releases every reservation of (id, ifname); when there is none, those written by a pre-2018 writer with
    /// the id alone. Returns how many were released.
    /// </summary>
    int ReleaseByID(string id, string ifName);

    /// <summary>Every live reservation (for CHECK, STATUS and GC).</summary>
    IReadOnlyList<IpReservation> List();

    /// <summary>Releases one address whatever holds it; false when it was not reserved.</summary>
    bool Release(IPAddress address);

    /// <summary>Throws when the store cannot take a new reservation (read-only or full file system, permissions).</summary>
    void EnsureWritable();
}

/// <summary>
/// One reservation: the address and its owner as stored, "containerID\r\nifname" (or a legacy "containerID").
/// </summary>
internal sealed record IpReservation(IPAddress Address, string Owner)
{
    public const string LineBreak = "\r\n";

    public static string OwnerKey(string id, string ifName) => id.Trim() + LineBreak + ifName;

    /// <summary>True for (id, ifname) itself, or for a legacy id-only reservation of that id.</summary>
    public bool IsOwnedBy(string id, string ifName) => Owner == OwnerKey(id, ifName) || IsLegacyOf(id);

    public bool IsLegacyOf(string id) => Owner == id.Trim();
}
