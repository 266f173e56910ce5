using CniSharp.Cni;
using CniSharp.Attachments;
using CniSharp.Files;
using CniSharp.Tests.Ipam;

namespace CniSharp.Tests.Attachments;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AttachmentStoreTests
{
    private static AttachmentRecord Record(string id = "c1", string ifName = "eth0") => new()
    {
        ContainerId = id,
        IfName = ifName,
        Network = "net",
        NetNs = "/var/run/netns/x",
        HostVeth = "cns000000000001",
        Ips = ["10.1.0.2/24"],
        BootId = "boot-a",
        Phase = AttachmentRecord.PhaseReady,
    };

    [Fact]
    public void Write_ThenTryRead_RoundTrips_AsA0600FileNamedLikeLibcnisCache()
    {
        using var dir = new TempDir();
        var store = new AttachmentStore(dir.Path, "net");
        store.Write(Record());

        string path = dir.Combine("net", "attachments", "c1-eth0.json");
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        AttachmentRecord read = store.TryRead("c1", "eth0")!;
        Assert.Equal("cns000000000001", read.HostVeth);
        Assert.Equal(["10.1.0.2/24"], read.Ips);
        Assert.Equal("boot-a", read.BootId);
        Assert.Equal(AttachmentRecord.PhaseReady, read.Phase);
        // Nothing else in the directory: the temp file was renamed, not copied.
        Assert.Single(Directory.GetFiles(dir.Combine("net", "attachments")));
    }

    [Fact]
    public void TryRead_IgnoresMissingCorruptAndForeignFiles()
    {
        using var dir = new TempDir();
        var store = new AttachmentStore(dir.Path, "net");
        Assert.Null(store.TryRead("c1", "eth0"));

        Directory.CreateDirectory(store.AttachmentsDir);
        File.WriteAllText(store.PathFor("c1", "eth0"), "{ torn");
        Assert.Null(store.TryRead("c1", "eth0"));
        // "a-b" + "eth0" and "a" + "b-eth0" share a file name; the content says whose it is.
        store.Write(Record("a", "b-eth0"));
        Assert.Null(store.TryRead("a-b", "eth0"));
        Assert.NotNull(store.TryRead("a", "b-eth0"));
    }

    [Fact]
    public void List_ReportsUnreadableRecords_AndRemovesOnlyAbandonedTempFiles()
    {
        using var dir = new TempDir();
        var store = new AttachmentStore(dir.Path, "net");
        store.Write(Record("c1"));
        store.Write(Record("c2"));
        File.WriteAllText(Path.Combine(store.AttachmentsDir, "junk.json"), "[]");
        string abandoned = Path.Combine(store.AttachmentsDir, ".c3-eth0.json.999999999-0000abcd.tmp");
        string live = Path.Combine(store.AttachmentsDir, $".c4-eth0.json.{Environment.ProcessId}-0000abcd.tmp");
        File.WriteAllText(abandoned, "{");
        File.WriteAllText(live, "{");

        var entries = store.List();

        Assert.Equal(new string?[] { "c1", "c2", null }, entries.Select(e => e.Record?.ContainerId).ToArray());
        Assert.EndsWith("junk.json", entries[2].Path);
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(live));
    }

    [Fact]
    public void Delete_IsIdempotent_AndSaysWhetherThereWasARecord()
    {
        using var dir = new TempDir();
        var store = new AttachmentStore(dir.Path, "net");
        Assert.False(store.Delete("c1", "eth0"));
        store.Write(Record());
        Assert.True(store.Delete("c1", "eth0"));
        Assert.False(store.Delete("c1", "eth0"));
    }

    [Fact]
    public void BootStamp_RoundTrips()
    {
        using var dir = new TempDir();
        var store = new AttachmentStore(dir.Path, "net");
        Assert.Null(store.ReadBootStamp());
        store.WriteBootStamp("boot-b");
        Assert.Equal("boot-b", store.ReadBootStamp());
    }

    [Fact]
    public void AnUnusableStateDir_IsCode5NamingTheDirectory()
    {
        using var dir = new TempDir();
        string file = dir.Combine("file");
        File.WriteAllText(file, "");
        var store = new AttachmentStore(Path.Combine(file, "state"), "net");
        var ex = Assert.Throws<CniException>(() => store.Write(Record()));
        Assert.Equal(CniErrorCode.IOFailure, ex.Code);
        Assert.Contains(store.NetworkDir, ex.Message);
        Assert.Equal(CniErrorCode.IOFailure, Assert.Throws<CniException>(store.ProbeWritable).Code);
    }

    [Theory]
    [InlineData(".c1-eth0.json.999999999-0a1b2c3d.tmp", true)]
    [InlineData(".a-b.c-eth0.json.999999999-0a1b2c3d.tmp", true)]
    [InlineData("c1-eth0.json", false)]
    [InlineData(".c1-eth0.json.notapid-0a1b2c3d.tmp", true)]
    [InlineData("c1-eth0.json.tmp", false)]
    public void IsAbandonedTemp_RecognisesDeadWritersTempFiles(string name, bool abandoned) =>
        Assert.Equal(abandoned, SmallFile.IsAbandonedTemp(name));

    [Fact]
    public void IsAbandonedTemp_KeepsALiveWritersTempFile() =>
        Assert.False(SmallFile.IsAbandonedTemp($".c1-eth0.json.{Environment.ProcessId}-0a1b2c3d.tmp"));

    [Fact]
    public void TryRead_ReadsASchema1Record_AsTheBridgesWithItsRecordedHostVeth()
    {
        using var dir = new TempDir();
        var store = new AttachmentStore(dir.Path, "net");
        Directory.CreateDirectory(store.AttachmentsDir);
        File.WriteAllText(store.PathFor("c1", "eth0"),
            """{"schema":1,"containerId":"c1","ifName":"eth0","bridge":"cnisharp0","hostVeth":"cns000000000009","ips":[],"phase":"ready"}""");
        AttachmentRecord read = store.TryRead("c1", "eth0")!;
        Assert.Equal(1, read.Schema);
        Assert.Null(read.Plugin);
        Assert.Equal("cnisharp-bridge", read.MadeBy);
        Assert.Equal("cnisharp0", read.Bridge);
        Assert.Equal("cns000000000009", read.HostVethOrDerived);
    }

    [Fact]
    public void HostVethOrDerived_FallsBackToTheNameAddDerives() =>
        Assert.Equal(CniSharp.Pods.HostVethName.For("c1", "eth0"), RecordWithoutHostVeth().HostVethOrDerived);

    private static AttachmentRecord RecordWithoutHostVeth()
    {
        AttachmentRecord record = Record();
        record.HostVeth = null;
        return record;
    }
}
