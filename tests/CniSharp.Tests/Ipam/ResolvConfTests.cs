using CniSharp.Cni;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.Tests.Ipam;

public class ResolvConfTests
{
    [Fact]
    public void Parse_FollowsTheReferenceQuirks()
    {
        CniDns dns = ResolvConf.Parse([
            "# a comment",
            "; another comment",
            "",
            "nameserver 10.0.0.10",
            "  nameserver   10.0.0.11  # trailing words are ignored for nameserver",
            "domain example.com ignored.words",
            "search a.example b.example",
            "search c.example",
            "options ndots:5 edns0",
            "nameserver",
            "sortlist 10.0.0.0",
        ]);
        Assert.Equal(["10.0.0.10", "10.0.0.11"], dns.Nameservers!);
        Assert.Equal("example.com", dns.Domain);
        Assert.Equal(["a.example", "b.example", "c.example"], dns.Search!);
        Assert.Equal(["ndots:5", "edns0"], dns.Options!);
    }

    [Fact]
    public void Parse_EmptyFile_IsEmptyDns()
    {
        Assert.True(ResolvConf.Parse([]).IsEmpty);
    }

    [Fact]
    public void Load_MissingFile_IsCode7()
    {
        var ex = Assert.Throws<CniException>(() => ResolvConf.Load("/nonexistent/resolv.conf"));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
    }

    [Fact]
    public void Load_ReadsAFile_AndRefusesOneLargerThanTheCap()
    {
        using var dir = new TempDir();
        string small = dir.Combine("resolv.conf"), big = dir.Combine("big");
        File.WriteAllText(small, "nameserver 192.0.2.53\nsearch a.example b.example\n");
        File.WriteAllText(big, "# " + new string('x', ResolvConf.MaxBytes) + "\n");

        CniDns dns = ResolvConf.Load(small);
        Assert.Equal(["192.0.2.53"], dns.Nameservers!);
        Assert.Equal(["a.example", "b.example"], dns.Search!);
        var ex = Assert.Throws<CniException>(() => ResolvConf.Load(big));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains("64 KiB", ex.Message);
    }
}
