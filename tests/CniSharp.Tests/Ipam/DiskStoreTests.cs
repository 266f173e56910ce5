using System.Net;
using System.Text;
using CniSharp.Interop;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.Tests.Ipam;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DiskStoreTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _dir;

    public DiskStoreTests() => _dir = _tmp.Combine("net");

    public void Dispose() => _tmp.Dispose();

    private string FileIn(string name) => Path.Join(_dir, name);

    [Fact]
    public void Reserve_WritesTheReferenceBytesAndModes()
    {
        var store = new DiskStore(_dir);
        Assert.False(store.Exists);
        using (store.Lock())
        {
            Assert.True(store.Reserve("c1", "eth0", IPAddress.Parse("10.1.2.3"), 0));
            Assert.True(store.Reserve(" c2 ", "eth1", IPAddress.Parse("fd00:10:244:1::12"), 1));
        }
        Assert.True(store.Exists);
        Assert.Equal("c1\r\neth0"u8.ToArray(), File.ReadAllBytes(FileIn("10.1.2.3")));
        Assert.Equal("c2\r\neth1"u8.ToArray(), File.ReadAllBytes(FileIn("fd00:10:244:1::12")));
        Assert.Equal("10.1.2.3"u8.ToArray(), File.ReadAllBytes(FileIn("last_reserved_ip.0")));
        Assert.Equal("fd00:10:244:1::12"u8.ToArray(), File.ReadAllBytes(FileIn("last_reserved_ip.1")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FileIn("10.1.2.3")));
        Assert.Equal((UnixFileMode)0x1ED /* 0755 */, File.GetUnixFileMode(_dir));
        Assert.True(File.Exists(FileIn("lock")));
        // Nothing but reservations, markers and the lock remain: temp files are gone.
        Assert.Equal(["10.1.2.3", "fd00:10:244:1::12", "last_reserved_ip.0", "last_reserved_ip.1", "lock"],
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reserve_TakenAddress_ReturnsFalseEvenAcrossStores()
    {
        using (new DiskStore(_dir).Lock()) { }
        File.WriteAllText(FileIn("10.1.2.3"), "other\r\neth0");
        var store = new DiskStore(_dir);
        using (store.Lock())
        {
            Assert.False(store.Reserve("c1", "eth0", IPAddress.Parse("10.1.2.3"), 0));
            // A file appearing after the scan (a writer ignoring the lock) is caught by link(2)'s EEXIST.
            File.WriteAllText(FileIn("10.1.2.4"), "rogue\r\neth0");
            Assert.False(store.Reserve("c1", "eth0", IPAddress.Parse("10.1.2.4"), 0));
        }
        Assert.Equal("rogue\r\neth0", File.ReadAllText(FileIn("10.1.2.4")));
        Assert.False(File.Exists(FileIn("last_reserved_ip.0")));
    }

    [Fact]
    public void LegacyIdOnlyFiles_AreListedCheckedAndReleased()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(FileIn("10.1.2.3"), "legacy\n");
        File.WriteAllText(FileIn("10.1.2.4"), "other\r\neth0");
        var store = new DiskStore(_dir);
        using (store.Lock())
        {
            Assert.Empty(store.GetByID("legacy", "eth0"));
            Assert.Contains(store.List(), r => r.IsOwnedBy("legacy", "eth0") && r.Address.Equals(IPAddress.Parse("10.1.2.3")));
            Assert.Equal(1, store.ReleaseByID("legacy", "eth0"));
        }
        Assert.False(File.Exists(FileIn("10.1.2.3")));
        Assert.True(File.Exists(FileIn("10.1.2.4")));
    }

    [Fact]
    public void ReleaseByID_PrefersExactMatchesOverLegacy()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(FileIn("10.1.2.3"), "c1");
        File.WriteAllText(FileIn("10.1.2.4"), "c1\r\neth0");
        File.WriteAllText(FileIn("10.1.2.5"), "c1\r\neth1");
        var store = new DiskStore(_dir);
        using (store.Lock())
        {
            Assert.Equal([IPAddress.Parse("10.1.2.4")], store.GetByID("c1", "eth0"));
            Assert.Equal(1, store.ReleaseByID("c1", "eth0"));
            Assert.Equal(0, store.ReleaseByID("nobody", "eth0"));
        }
        Assert.Equal(["10.1.2.3", "10.1.2.5", "lock"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EmptyReservationFile_IsReclaimed()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllBytes(FileIn("10.1.2.3"), []);
        File.WriteAllText(FileIn("10.1.2.4"), "  \n");
        var store = new DiskStore(_dir);
        using (store.Lock())
        {
            Assert.Empty(store.List());
            Assert.True(store.Reserve("c1", "eth0", IPAddress.Parse("10.1.2.3"), 0));
        }
        Assert.Equal("c1\r\neth0", File.ReadAllText(FileIn("10.1.2.3")));
    }

    [Fact]
    public void StaleTempFiles_AreRemovedUnderTheLock()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(FileIn(".cnisharp-123-00ff.tmp"), "c9\r\neth0");
        File.WriteAllText(FileIn(".unrelated"), "keep");
        var store = new DiskStore(_dir);
        using (store.Lock())
            Assert.Empty(store.List());
        Assert.False(File.Exists(FileIn(".cnisharp-123-00ff.tmp")));
        Assert.True(File.Exists(FileIn(".unrelated")));
    }

    [Fact]
    public void NonCanonicalNamesAndMarkers_AreNotReservations()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(FileIn("last_reserved_ip.0"), "10.1.2.3");
        File.WriteAllText(FileIn("2001:DB8::1"), "c1\r\neth0");
        File.WriteAllText(FileIn("notes"), "c1\r\neth0");
        var store = new DiskStore(_dir);
        using (store.Lock())
        {
            Assert.Empty(store.List());
            Assert.Equal(IPAddress.Parse("10.1.2.3"), store.LastReservedIP(0));
            Assert.Null(store.LastReservedIP(1));
        }
    }

    [Fact]
    public void LastReservedIP_WithTrailingNewline_IsIgnoredAsGoDoes()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(FileIn("last_reserved_ip.0"), "10.1.2.3\n");
        var store = new DiskStore(_dir);
        using (store.Lock())
            Assert.Null(store.LastReservedIP(0));
    }

    [Fact]
    public void Release_RemovesOneAddress()
    {
        var store = new DiskStore(_dir);
        using (store.Lock())
        {
            store.Reserve("c1", "eth0", IPAddress.Parse("10.1.2.3"), 0);
            Assert.True(store.Release(IPAddress.Parse("10.1.2.3")));
            Assert.False(store.Release(IPAddress.Parse("10.1.2.3")));
            store.EnsureWritable();
        }
        Assert.False(File.Exists(FileIn("10.1.2.3")));
    }

    [Fact]
    public void UseWithoutLock_Throws()
    {
        var store = new DiskStore(_dir);
        Assert.Throws<InvalidOperationException>(() => store.List());
    }

    [Fact]
    public void ConcurrentReservationsOfOneAddress_ExactlyOneWins()
    {
        const int threads = 16;
        using var start = new Barrier(threads);
        int wins = 0;
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            var store = new DiskStore(_dir);
            start.SignalAndWait();
            using (store.Lock())
                if (store.Reserve($"c{i}", "eth0", IPAddress.Parse("10.1.2.3"), 0))
                    Interlocked.Increment(ref wins);
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        Assert.Equal(1, wins);
        Assert.Matches("^c[0-9]+\r\neth0$", File.ReadAllText(FileIn("10.1.2.3")));
    }

    [Fact]
    public void Lock_BlocksWhileAnotherDescriptorHoldsTheFlock()
    {
        using (new DiskStore(_dir).Lock()) { }
        // Hold the lock the way go-filemutex does: its own open file description, flock(LOCK_EX).
        using SafeFileDescriptor held = LibC.open(FileIn("lock"), LibC.OpenFlags.O_RDONLY);
        Assert.Equal(0, LibC.flock(held, LibC.LockOperations.LOCK_EX));

        using var acquired = new ManualResetEventSlim();
        var waiter = new Thread(() =>
        {
            using (new DiskStore(_dir).Lock())
                acquired.Set();
        });
        waiter.Start();
        Assert.False(acquired.Wait(TimeSpan.FromMilliseconds(300)), "Lock() returned while the flock was held elsewhere");

        Assert.Equal(0, LibC.flock(held, LibC.LockOperations.LOCK_UN));
        Assert.True(acquired.Wait(TimeSpan.FromSeconds(5)), "Lock() did not return after the flock was released");
        waiter.Join();
    }

    [Fact]
    public void Lock_BlocksBetweenStores()
    {
        var first = new DiskStore(_dir);
        IDisposable held = first.Lock();
        using var acquired = new ManualResetEventSlim();
        var waiter = new Thread(() =>
        {
            using (new DiskStore(_dir).Lock())
                acquired.Set();
        });
        waiter.Start();
        Assert.False(acquired.Wait(TimeSpan.FromMilliseconds(200)));
        held.Dispose();
        Assert.True(acquired.Wait(TimeSpan.FromSeconds(5)));
        waiter.Join();
    }
}
