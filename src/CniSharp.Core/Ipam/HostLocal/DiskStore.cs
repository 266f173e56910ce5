using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using CniSharp.Interop;
using CniSharp.Files;
using CniSharp.Ip;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// The reference host-local store, byte for byte: one file per reserved address named by Go's canonical IP
/// string and holding "containerID\r\nifname" (no trailing newline, mode 0600), "last_reserved_ip.&lt;set&gt;"
/// holding the bare address, and "lock" taken with a blocking flock(LOCK_EX) exactly as go-filemutex does, so
/// CniSharp and the Go plugin can share one network directory.
/// Unlike the reference, the directory is scanned once per lock (not once per lookup) and a reservation only
/// gets its name once its content is complete and synced (temp file + link(2)), so a crash cannot leave an
/// empty file that leaks the address (plugins#498); empty files left by older writers are reclaimed.
/// </summary>
internal sealed partial class DiskStore : IIpamStore
{
    public const string DefaultDataDir = "/var/lib/cni/networks";
    internal const string LockFileName = "lock";
    internal const string LastReservedPrefix = "last_reserved_ip.";
    internal const string TempPrefix = ".cnisharp-";
    internal const string TempSuffix = ".tmp";

    // Go: os.MkdirAll(dir, 0755); reservations 0600 since plugins 33ccedc6.
    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private SafeFileDescriptor? _lock;
    private Dictionary<IPAddress, string>? _owners;

    public DiskStore(string directory) => Directory = directory;

    /// <summary>The network's state directory, &lt;dataDir&gt;/&lt;network name&gt;.</summary>
    public string Directory { get; }

    public bool Exists => System.IO.Directory.Exists(Directory);

    public IDisposable Lock()
    {
        if (_lock is not null) throw new InvalidOperationException($"the IPAM store {Directory} is already locked");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the host-local store needs flock(2)");
        System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
        // Blocking on purpose: the Go plugin holds this lock for a whole allocation and we must wait for it.
        SafeFileDescriptor fd = FileLock.Acquire(PathOf(LockFileName));
        _lock = fd;
        return new Holder(this);
    }

    public bool Reserve(string id, string ifName, IPAddress address, int rangeSetIndex)
    {
        Dictionary<IPAddress, string> owners = Owners;
        address = IPAddressMath.Canonical(address);
        string name = IpText.Format(address);
        string path = PathOf(name);
        if (owners.TryGetValue(address, out string? owner))
        {
            if (owner.Length != 0) return false;
            // An empty file under the lock is a create-then-write writer that died in between: the address is free.
            File.Delete(path);
            owners.Remove(address);
        }

        string content = IpReservation.OwnerKey(id, ifName);
        // link(2) publishes the name only once the content is complete, so no process crash can leave a torn
        // reservation. Not fsynced: after a host crash every pod is gone, so a reservation that comes back empty
        // is reclaimed as free (above) and one that comes back whole is stale either way; fsync would cost
        // 1-2 ms per range set on ext4 to protect nothing.
        string temp = WriteTempFile(content);
        try
        {
            if (LibC.link(temp, path) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                // Same meaning as O_EXCL's EEXIST in the reference: somebody holds the address.
                if (errno == (int)Errno.EEXIST) return false;
                throw new UnixException(errno, "link", path);
            }
        }
        finally
        {
            File.Delete(temp);
        }
        owners[address] = content;
        WriteLastReserved(rangeSetIndex, name);
        return true;
    }

    public IPAddress? LastReservedIP(int rangeSetIndex)
    {
        RequireLock();
        string? text = TryReadFile(PathOf(LastReservedPrefix + rangeSetIndex));
        // Go's net.ParseIP on the raw bytes: no trimming, unreadable means "start from the beginning".
        return text is not null && IpText.TryParse(text, out IPAddress address) ? address : null;
    }

    public IReadOnlyList<IPAddress> GetByID(string id, string ifName)
    {
        string key = IpReservation.OwnerKey(id, ifName);
        var found = new List<IPAddress>();
        foreach ((IPAddress address, string owner) in Owners)
            if (owner == key) found.Add(address);
        return found;
    }

    public int ReleaseByID(string id, string ifName)
    {
        string key = IpReservation.OwnerKey(id, ifName);
        int released = ReleaseWhere(owner => owner == key);
        // Files written before ifname was recorded (2018) hold the container id alone.
        if (released == 0)
        {
            string legacy = id.Trim();
            released = ReleaseWhere(owner => owner == legacy);
        }
        return released;
    }

    public IReadOnlyList<IpReservation> List()
    {
        var list = new List<IpReservation>();
        foreach ((IPAddress address, string owner) in Owners)
            if (owner.Length != 0) list.Add(new IpReservation(address, owner));
        return list;
    }

    public bool Release(IPAddress address)
    {
        address = IPAddressMath.Canonical(address);
        if (!Owners.Remove(address)) return false;
        File.Delete(PathOf(IpText.Format(address)));
        return true;
    }

    public void EnsureWritable()
    {
        RequireLock();
        File.Delete(WriteTempFile(""));
    }

    private void Unlock()
    {
        _owners = null;
        _lock?.Dispose(); // closing the descriptor drops the flock
        _lock = null;
    }

    private int ReleaseWhere(Func<string, bool> match)
    {
        Dictionary<IPAddress, string> owners = Owners;
        var doomed = new List<IPAddress>();
        foreach ((IPAddress address, string owner) in owners)
            if (owner.Length != 0 && match(owner)) doomed.Add(address);

        // N.B. keep going past a failed unlink so that as much as possible is released, then report.
        List<Exception>? errors = null;
        foreach (IPAddress address in doomed)
        {
            try
            {
                File.Delete(PathOf(IpText.Format(address)));
                owners.Remove(address);
            }
            catch (Exception ex) when (FileErrors.IsFileSystemFailure(ex))
            {
                (errors ??= []).Add(ex);
            }
        }
        if (errors is not null)
            throw new IOException($"failed to release {errors.Count} reservation(s) in {Directory}: {errors[0].Message}", errors[0]);
        return doomed.Count;
    }

    private Dictionary<IPAddress, string> Owners
    {
        get
        {
            RequireLock();
            return _owners ??= Scan();
        }
    }

    private void RequireLock()
    {
        if (_lock is null) throw new InvalidOperationException($"the IPAM store {Directory} is used without its lock");
    }

    private string PathOf(string name) => Path.Join(Directory, name);

    private sealed class Holder(DiskStore store) : IDisposable
    {
        private DiskStore? _store = store;

        public void Dispose()
        {
            _store?.Unlock();
            _store = null;
        }
    }
}
