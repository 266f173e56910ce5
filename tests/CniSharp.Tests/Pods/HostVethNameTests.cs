using CniSharp.Pods;

namespace CniSharp.Tests.Pods;

public class HostVethNameTests
{
    [Fact]
    public void Name_IsPrefixedFifteenLowerHexCharacters()
    {
        string name = HostVethName.For("4f6dd6c08c7e1a901788c768", "eth0");
        Assert.Equal(15, name.Length);
        Assert.Matches("^cns[0-9a-f]{12}$", name);
    }

    [Fact]
    public void Name_IsStableForTheSameAttachment() =>
        Assert.Equal(HostVethName.For("abc", "eth0"), HostVethName.For("abc", "eth0"));

    [Theory]
    [InlineData("abc", "eth0", "abc", "eth1")]
    [InlineData("abc", "eth0", "abd", "eth0")]
    [InlineData("ab", "ceth0", "abc", "eth0")]
    public void Name_DiffersBetweenAttachments(string id1, string if1, string id2, string if2) =>
        Assert.NotEqual(HostVethName.For(id1, if1), HostVethName.For(id2, if2));

    [Fact]
    public void Names_DoNotCollide_AcrossManyContainers()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 100_000; i++)
            Assert.True(seen.Add(HostVethName.For($"container-{i}", "eth0")));
    }
}
