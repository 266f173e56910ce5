using CniSharp.Cni;

namespace CniSharp.Tests.Cni;

public class CniEnvironmentTests
{
    private static Dictionary<string, string?> Full(string command) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "abc123",
        ["CNI_NETNS"] = "/var/run/netns/cni-1",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/opt/cni/bin",
    };

    private static CniArgs Read(Dictionary<string, string?> env) =>
        CniEnvironment.Read(name => env.GetValueOrDefault(name), [1, 2, 3]);

    private static CniException ReadFails(Dictionary<string, string?> env) => Assert.Throws<CniException>(() => Read(env));

    [Theory]
    [InlineData("ADD", "CNI_CONTAINERID")]
    [InlineData("ADD", "CNI_NETNS")]
    [InlineData("ADD", "CNI_IFNAME")]
    [InlineData("CHECK", "CNI_CONTAINERID")]
    [InlineData("CHECK", "CNI_NETNS")]
    [InlineData("CHECK", "CNI_IFNAME")]
    [InlineData("DEL", "CNI_CONTAINERID")]
    [InlineData("DEL", "CNI_IFNAME")]
    public void MissingRequiredVariable_IsCode4NamingIt(string command, string variable)
    {
        var env = Full(command);
        env.Remove(variable);
        CniException ex = ReadFails(env);
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, ex.Code);
        Assert.Contains(variable, ex.Message);
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("CHECK")]
    public void EmptyValue_CountsAsMissing(string command)
    {
        var env = Full(command);
        env["CNI_IFNAME"] = "";
        Assert.Contains("CNI_IFNAME", ReadFails(env).Message);
    }

    [Fact]
    public void AllMissingVariables_AreNamedTogether()
    {
        CniException ex = ReadFails(new() { ["CNI_COMMAND"] = "ADD" });
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, ex.Code);
        Assert.Contains("CNI_CONTAINERID", ex.Message);
        Assert.Contains("CNI_NETNS", ex.Message);
        Assert.Contains("CNI_IFNAME", ex.Message);
        Assert.DoesNotContain("CNI_PATH", ex.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Del_WithoutNetns_IsAccepted(string? netns)
    {
        var env = Full("DEL");
        env["CNI_NETNS"] = netns;
        CniArgs args = Read(env);
        Assert.Equal(CniCommand.Del, args.Command);
        Assert.True(string.IsNullOrEmpty(args.NetNs));
        Assert.Equal("abc123", args.ContainerId);
        Assert.Equal("eth0", args.IfName);
    }

    [Theory]
    [InlineData("GC")]
    [InlineData("STATUS")]
    public void GcAndStatus_NeedOnlyTheCommand(string command)
    {
        CniArgs args = Read(new() { ["CNI_COMMAND"] = command, ["CNI_IFNAME"] = "way-too-long-interface-name" });
        Assert.Equal("", args.ContainerId);
        Assert.Equal("", args.IfName);
        Assert.Null(args.NetNs);
        Assert.Empty(args.Path);
    }

    [Theory]
    [InlineData("_abc")]
    [InlineData("-abc")]
    [InlineData(".abc")]
    [InlineData("abc/def")]
    [InlineData("abc def")]
    [InlineData("abc:def")]
    [InlineData("abc\n")]
    [InlineData("ab€c")]
    public void InvalidContainerId_IsCode4(string id)
    {
        var env = Full("ADD");
        env["CNI_CONTAINERID"] = id;
        CniException ex = ReadFails(env);
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, ex.Code);
        Assert.Contains("CNI_CONTAINERID", ex.Message);
    }

    [Fact]
    public void OverLongContainerId_IsCode4_AndTheMessageQuotesOnlyAPrefix()
    {
        var env = Full("ADD");
        env["CNI_CONTAINERID"] = new string('c', 5000);
        CniException ex = ReadFails(env);
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, ex.Code);
        Assert.Contains("CNI_CONTAINERID", ex.Message);
        Assert.Contains($"at most {CniEnvironment.MaxIdentifierLength}", ex.Message);
        Assert.True(ex.Message.Length < 300, ex.Message);

        env["CNI_CONTAINERID"] = new string('c', CniEnvironment.MaxIdentifierLength);
        Assert.Equal(CniEnvironment.MaxIdentifierLength, Read(env).ContainerId.Length);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("abc_DEF.1-2")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public void ValidContainerId_IsAccepted(string id)
    {
        var env = Full("ADD");
        env["CNI_CONTAINERID"] = id;
        Assert.Equal(id, Read(env).ContainerId);
    }

    [Theory]
    [InlineData("0123456789abcdef", "longer than 15")]
    [InlineData(".", "\".\"")]
    [InlineData("..", "\"..\"")]
    [InlineData("eth/0", "'/'")]
    [InlineData("eth:0", "':'")]
    [InlineData("eth 0", "whitespace")]
    [InlineData("eth\t0", "whitespace")]
    [InlineData("eth%d", "'%'")]
    public void InvalidIfName_IsCode4SayingWhy(string ifname, string reason)
    {
        var env = Full("ADD");
        env["CNI_IFNAME"] = ifname;
        CniException ex = ReadFails(env);
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, ex.Code);
        Assert.Contains("CNI_IFNAME", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Theory]
    [InlineData("e")]
    [InlineData("eth0")]
    [InlineData("0123456789abcde")]
    [InlineData("net1.100")]
    public void ValidIfName_IsAccepted(string ifname)
    {
        var env = Full("ADD");
        env["CNI_IFNAME"] = ifname;
        Assert.Equal(ifname, Read(env).IfName);
    }

    [Theory]
    [InlineData("/opt/cni/bin", new[] { "/opt/cni/bin" })]
    [InlineData("/a:/b", new[] { "/a", "/b" })]
    [InlineData("/a::/b:", new[] { "/a", "/b" })]
    [InlineData(":", new string[0])]
    public void CniPath_IsSplitOnColons(string path, string[] expected)
    {
        var env = Full("ADD");
        env["CNI_PATH"] = path;
        Assert.Equal(expected, Read(env).Path);
    }

    [Fact]
    public void CniPath_IsOptional()
    {
        var env = Full("ADD");
        env.Remove("CNI_PATH");
        Assert.Empty(Read(env).Path);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("DELETE")]
    [InlineData("Add")]
    public void UnknownCommand_IsCode4ListingTheVerbs(string command)
    {
        CniException ex = ReadFails(Full(command));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, ex.Code);
        Assert.Contains(command, ex.Message);
        foreach (string verb in new[] { "ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION" })
            Assert.Contains(verb, ex.Message);
    }

    [Fact]
    public void FullInvocation_CarriesEverything()
    {
        var env = Full("ADD");
        env["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAME=web";
        env["UNRELATED"] = "ignored";
        CniArgs args = Read(env);
        Assert.Equal(CniCommand.Add, args.Command);
        Assert.Equal("abc123", args.ContainerId);
        Assert.Equal("/var/run/netns/cni-1", args.NetNs);
        Assert.Equal("eth0", args.IfName);
        Assert.Equal("IgnoreUnknown=1;K8S_POD_NAME=web", args.Args);
        Assert.Equal(new[] { "/opt/cni/bin" }, args.Path);
        Assert.Equal(new byte[] { 1, 2, 3 }, args.StdinData);
    }
}
