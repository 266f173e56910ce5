using System.Text;
using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Ipam.Delegated;

namespace CniSharp.Tests.Ipam.Delegated;

/// <summary>ExecIpam against tiny shell-script IPAM plugins written to a temp dir.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExecIpamTests : IDisposable
{
    private const string Config = """{"cniVersion":"1.0.0","name":"net1","type":"cnisharp-bridge","ipam":{"type":"fake-ipam"}}""";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cnisharp-execipam-" + Guid.NewGuid().ToString("N"));

    public ExecIpamTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Script(string name, string body, string? dir = null)
    {
        dir ??= _dir;
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private IpamRequest Request(string config = Config, string command = "ADD", IReadOnlyList<string>? path = null)
    {
        byte[] stdin = Encoding.UTF8.GetBytes(config);
        var args = new CniArgs
        {
            Command = CniEnvironment.ParseCommand(command),
            ContainerId = "c0ffee",
            NetNs = "/var/run/netns/cni-1",
            IfName = "eth0",
            Args = "IgnoreUnknown=1",
            Path = path ?? ["/nonexistent", _dir],
            StdinData = stdin,
        };
        return new IpamRequest(args, NetConfDecoder.Decode(args.Command, stdin).Conf);
    }

    [Fact]
    public void Add_ParsesTheDelegateResultAndPassesEnvironmentAndStdin()
    {
        Script("fake-ipam", """
            cat > "$(dirname "$0")/stdin.$CNI_COMMAND"
            env > "$(dirname "$0")/env.$CNI_COMMAND"
            echo '{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.1.0.5/16","gateway":"10.1.0.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["10.1.0.1"]}}'
            """);

        CniResult result = new ExecIpam().Add(Request());

        Assert.Equal("10.1.0.5/16", result.Ips[0].Address.ToString());
        Assert.Equal("10.1.0.1", result.Ips[0].Gateway!.ToString());
        Assert.Equal("0.0.0.0/0", result.Routes[0].Dst.ToString());
        Assert.Equal(["10.1.0.1"], result.Dns!.Nameservers!);
        Assert.Equal(Config, File.ReadAllText(Path.Combine(_dir, "stdin.ADD")));
        string[] env = File.ReadAllLines(Path.Combine(_dir, "env.ADD"));
        Assert.Contains("CNI_COMMAND=ADD", env);
        Assert.Contains("CNI_CONTAINERID=c0ffee", env);
        Assert.Contains("CNI_NETNS=/var/run/netns/cni-1", env);
        Assert.Contains("CNI_IFNAME=eth0", env);
        Assert.Contains("CNI_ARGS=IgnoreUnknown=1", env);
        Assert.Contains($"CNI_PATH=/nonexistent:{_dir}", env);
    }

    [Theory]
    [InlineData("DEL")]
    [InlineData("CHECK")]
    public void DelAndCheck_RunTheVerb(string verb)
    {
        Script("fake-ipam", """echo "$CNI_COMMAND" > "$(dirname "$0")/verb" """);
        var ipam = new ExecIpam();
        IpamRequest request = Request(command: verb);

        if (verb == "DEL") ipam.Del(request);
        else ipam.Check(request);

        Assert.Equal(verb, File.ReadAllText(Path.Combine(_dir, "verb")).Trim());
    }

    [Fact]
    public void StatusAndGc_RunWithoutContainerVariables()
    {
        Script("fake-ipam", """env > "$(dirname "$0")/env.$CNI_COMMAND" """);
        const string config11 = """{"cniVersion":"1.1.0","name":"net1","type":"t","ipam":{"type":"fake-ipam"}}""";
        byte[] stdin = Encoding.UTF8.GetBytes(config11);
        var args = new CniArgs { Command = CniCommand.Status, Path = [_dir], StdinData = stdin };
        var request = new IpamRequest(args, NetConfDecoder.Decode(CniCommand.Status, stdin).Conf);

        new ExecIpam().Status(request);
        new ExecIpam().Gc(request with { Args = new CniArgs { Command = CniCommand.Gc, Path = [_dir], StdinData = stdin } }, []);

        foreach (string verb in new[] { "STATUS", "GC" })
        {
            string[] env = File.ReadAllLines(Path.Combine(_dir, "env." + verb));
            Assert.Contains("CNI_COMMAND=" + verb, env);
            Assert.DoesNotContain(env, line => line.StartsWith("CNI_CONTAINERID=", StringComparison.Ordinal));
            Assert.DoesNotContain(env, line => line.StartsWith("CNI_IFNAME=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ErrorJson_KeepsTheDelegateCodeAndDetails()
    {
        Script("fake-ipam", """
            echo '{"cniVersion":"1.0.0","code":50,"msg":"no addresses left","details":"range 10.1.0.0/16 is full"}'
            echo 'noise on stderr' >&2
            exit 1
            """);

        CniException ex = Assert.Throws<CniException>(() => new ExecIpam().Add(Request()));

        Assert.Equal(CniErrorCode.NotAvailable, ex.Code);
        Assert.Equal("fake-ipam: no addresses left", ex.Message);
        Assert.Equal("range 10.1.0.0/16 is full", ex.Details);
    }

    [Fact]
    public void FailureWithOnlyStderr_UsesTheStderrText()
    {
        Script("fake-ipam", """
            echo 'dhcp daemon is not running' >&2
            exit 3
            """);

        CniException ex = Assert.Throws<CniException>(() => new ExecIpam().Del(Request(command: "DEL")));

        Assert.Equal(CniErrorCode.Internal, ex.Code);
        Assert.Contains("fake-ipam", ex.Message);
        Assert.Contains("exit code 3", ex.Message);
        Assert.Contains("dhcp daemon is not running", ex.Message);
    }

    [Fact]
    public void UnparsableResult_IsCode6NamingThePlugin()
    {
        Script("fake-ipam", "echo 'not json'");

        CniException ex = Assert.Throws<CniException>(() => new ExecIpam().Add(Request()));

        Assert.Equal(CniErrorCode.DecodingFailure, ex.Code);
        Assert.StartsWith("fake-ipam: ", ex.Message);
    }

    [Fact]
    public void NotFound_IsCode7NamingTheTypeAndTheDirs()
    {
        CniException ex = Assert.Throws<CniException>(() => new ExecIpam().Add(Request()));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains("\"fake-ipam\"", ex.Message);
        Assert.Contains("/nonexistent", ex.Message);
        Assert.Contains(_dir, ex.Message);
    }

    [Fact]
    public void NonExecutableFile_IsSkippedForTheNextDirectory()
    {
        string first = Path.Combine(_dir, "first");
        string second = Path.Combine(_dir, "second");
        Directory.CreateDirectory(first);
        File.WriteAllText(Path.Combine(first, "fake-ipam"), "not executable");
        Script("fake-ipam", """echo '{"cniVersion":"1.0.0","ips":[{"address":"10.2.0.2/24"}]}'""", second);

        CniResult result = new ExecIpam().Add(Request(path: [first, second]));

        Assert.Equal("10.2.0.2/24", result.Ips[0].Address.ToString());
    }

    [Theory]
    [InlineData("../fake-ipam")]
    [InlineData("/bin/sh")]
    public void TypeWithASlash_IsCode7(string type)
    {
        string config = $$$"""{"cniVersion":"1.0.0","name":"net1","type":"t","ipam":{"type":"{{{type}}}"}}""";

        CniException ex = Assert.Throws<CniException>(() => new ExecIpam().Add(Request(config)));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
    }

    [Fact]
    public void EmptyCniPath_IsCode7()
    {
        CniException ex = Assert.Throws<CniException>(() => new ExecIpam().Add(Request(path: [])));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains("CNI_PATH", ex.Message);
    }

    [Fact]
    public void MissingIpamType_IsCode7()
    {
        CniException ex = Assert.Throws<CniException>(() => new ExecIpam().Add(Request("""{"cniVersion":"1.0.0","name":"n","type":"t"}""")));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
    }

    [Fact]
    public void TextFileBusy_IsRetried()
    {
        string path = Script("fake-ipam", """echo '{"cniVersion":"1.0.0","ips":[{"address":"10.3.0.2/24"}]}'""");
        // An open write handle makes execve fail with ETXTBSY until it is closed.
        var writer = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        using var release = new Timer(_ => writer.Dispose(), null, 100, Timeout.Infinite);

        CniResult result = new ExecIpam().Add(Request());

        Assert.Equal("10.3.0.2/24", result.Ips[0].Address.ToString());
    }
}
