using System.Text;
using CniSharp.Files;
using CniSharp.Interop;
using CniSharp.Tests.Ipam;

namespace CniSharp.Tests.Files;

/// <summary>SmallFile's promises about symlinks, which keep a planted link in a state directory from redirecting us.</summary>
public class SmallFileTests
{
    [Fact]
    public void TryRead_ReadsARegularFile()
    {
        using var dir = new TempDir();
        string path = dir.Combine("record.json");
        File.WriteAllText(path, "{\"containerId\": \"c1\"}");
        Assert.Equal("{\"containerId\": \"c1\"}", SmallFile.TryRead(path));
    }

    [Fact]
    public void TryRead_ReadsAFileLargerThanItsFirstBuffer()
    {
        using var dir = new TempDir();
        string path = dir.Combine("big");
        string text = new('x', 5000);
        File.WriteAllText(path, text);
        Assert.Equal(text, SmallFile.TryRead(path));
    }

    [Fact]
    public void TryRead_NeverFollowsASymlink_EvenToAReadableFile()
    {
        using var dir = new TempDir();
        string target = dir.Combine("elsewhere.json");
        File.WriteAllText(target, "{\"hostVeth\": \"someone-elses\"}");
        string planted = dir.Combine("c1-eth0.json");
        File.CreateSymbolicLink(planted, target);

        Assert.Null(SmallFile.TryRead(planted));
    }

    [Fact]
    public void WriteNew_NeverWritesThroughASymlink()
    {
        using var dir = new TempDir();
        string target = dir.Combine("victim");
        File.WriteAllText(target, "untouched");
        string planted = dir.Combine("new");
        File.CreateSymbolicLink(planted, target);

        var error = Assert.Throws<UnixException>(() => SmallFile.WriteNew(planted, Encoding.ASCII.GetBytes("overwritten"), 0x180));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("untouched", File.ReadAllText(target));
    }

    [Fact]
    public void Open_RefusesAPathWithNul_RatherThanOpenTheShorterOne()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("a"), "short");
        var error = Assert.Throws<UnixException>(() => LibC.open(dir.Combine("a\0/../b"), LibC.OpenFlags.O_RDONLY));
        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Null(SmallFile.TryRead(dir.Combine("a\0")));
    }

    [Fact]
    public void Open_WithONoFollowOnASymlink_FailsWithELOOP()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("target"), "x");
        File.CreateSymbolicLink(dir.Combine("link"), dir.Combine("target"));
        var error = Assert.Throws<UnixException>(() => LibC.open(dir.Combine("link"), LibC.OpenFlags.O_RDONLY | LibC.OpenFlags.O_NOFOLLOW));
        Assert.Equal(40, (int)error.Errno); // ELOOP: the kernel saw O_NOFOLLOW, not some other bit
    }
}
