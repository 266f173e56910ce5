using System.Text;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Logging;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Plugins;
using CniSharp.Tests.Cni;
using Moq;

namespace CniSharp.Tests.Host;

[Collection(LogCollection.Name)]
public class CniHostTests
{
    private const string BridgeConfig = """{"cniVersion":"1.0.0","name":"net1","type":"cnisharp-bridge","bridge":"cni0"}""";

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    [InlineData("0.3.1")]
    [InlineData("0.2.0")]
    public void Add_PrintsThePluginResultInTheConfigVersion(string version)
    {
        var h = HostHarness.ForAdd($$"""{"cniVersion":"{{version}}","name":"net1","type":"cnisharp-bridge"}""");
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>())).Returns(SampleResults.DualStack());

        Assert.Equal(0, h.Run());

        Assert.Equal(Encoding.UTF8.GetString(ResultWriter.Write(SampleResults.DualStack(), version)), h.StdoutText);
        Assert.Equal("", h.Stderr.ToString());
    }

    [Fact]
    public void Add_PassesTheInvocationAndTheWholeConfig()
    {
        var h = HostHarness.ForAdd(BridgeConfig);
        PluginRequest? seen = null;
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>()))
            .Callback<PluginRequest>(r => seen = r).Returns(new CniResult());

        Assert.Equal(0, h.Run());

        Assert.NotNull(seen);
        Assert.Equal(CniCommand.Add, seen.Args.Command);
        Assert.Equal("c0ffee", seen.Args.ContainerId);
        Assert.Equal("eth0", seen.Args.IfName);
        Assert.Equal("/var/run/netns/cni-1", seen.Args.NetNs);
        Assert.Equal(Encoding.UTF8.GetBytes(BridgeConfig), seen.Args.StdinData);
        Assert.Equal("cni0", seen.Config.GetProperty("bridge").GetString());
        Assert.Equal("net1", seen.Conf.Name);
    }

    [Theory]
    [InlineData("DEL")]
    [InlineData("CHECK")]
    [InlineData("STATUS")]
    [InlineData("GC")]
    public void OtherVerbs_CallThePluginAndPrintNothing(string verb)
    {
        var h = HostHarness.ForAdd("""{"cniVersion":"1.1.0","name":"net1","type":"cnisharp-bridge"}""", verb);
        Mock<IPlugin> plugin = h.AddPlugin("cnisharp-bridge");
        plugin.Setup(p => p.Del(It.IsAny<PluginRequest>()));
        plugin.Setup(p => p.Check(It.IsAny<PluginRequest>()));
        plugin.Setup(p => p.Status(It.IsAny<PluginRequest>()));
        plugin.Setup(p => p.Gc(It.IsAny<PluginRequest>()));

        Assert.Equal(0, h.Run());

        Assert.Equal(0, h.Stdout.Length);
        plugin.Verify(p => p.Del(It.IsAny<PluginRequest>()), Times.Exactly(verb == "DEL" ? 1 : 0));
        plugin.Verify(p => p.Check(It.IsAny<PluginRequest>()), Times.Exactly(verb == "CHECK" ? 1 : 0));
        plugin.Verify(p => p.Status(It.IsAny<PluginRequest>()), Times.Exactly(verb == "STATUS" ? 1 : 0));
        plugin.Verify(p => p.Gc(It.IsAny<PluginRequest>()), Times.Exactly(verb == "GC" ? 1 : 0));
    }

    [Fact]
    public void Del_WithEmptyNetns_ReachesThePlugin()
    {
        var h = HostHarness.ForAdd(BridgeConfig, "DEL");
        h.Env["CNI_NETNS"] = "";
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Del(It.IsAny<PluginRequest>()));

        Assert.Equal(0, h.Run());
    }

    [Fact]
    public void EntryName_ThatIsAServedType_WinsOverTheConfigType()
    {
        // The bridge execs "cnisharp-host-local" with its own config, whose type is the bridge's.
        var h = HostHarness.ForAdd(BridgeConfig);
        h.Argv0 = "/opt/cni/bin/cnisharp-host-local";
        Mock<IPlugin> bridge = h.AddPlugin("cnisharp-bridge");
        h.AddPlugin("cnisharp-host-local").Setup(p => p.Add(It.IsAny<PluginRequest>())).Returns(new CniResult());

        Assert.Equal(0, h.Run());

        bridge.Verify(p => p.Add(It.IsAny<PluginRequest>()), Times.Never);
    }

    [Theory]
    [InlineData("/opt/cni/bin/cnisharp")]
    [InlineData("cnisharp")]
    [InlineData("/usr/libexec/cni/some-other-name")]
    public void EntryName_ThatIsNotAType_LeavesTheChoiceToTheConfig(string argv0)
    {
        var h = HostHarness.ForAdd(BridgeConfig);
        h.Argv0 = argv0;
        h.AddPlugin("cnisharp-host-local");
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>())).Returns(new CniResult());

        Assert.Equal(0, h.Run());
    }

    [Fact]
    public void UnknownType_IsCode7NamingTheServedTypes()
    {
        var h = HostHarness.ForAdd("""{"cniVersion":"1.0.0","name":"net1","type":"bridge"}""");
        h.AddPlugin("cnisharp-bridge");
        h.AddPlugin("cnisharp-loopback");

        Assert.Equal(1, h.Run());

        Assert.Equal("unknown plugin type \"bridge\": this binary serves cnisharp-bridge, cnisharp-loopback",
            h.Error(CniErrorCode.InvalidNetworkConfig).GetProperty("msg").GetString());
    }

    [Fact]
    public void ConfigWithoutType_IsCode7EvenWhenTheEntryNameIsAType()
    {
        var h = HostHarness.ForAdd("""{"cniVersion":"1.0.0","name":"net1"}""");
        h.Argv0 = "cnisharp-bridge";
        h.AddPlugin("cnisharp-bridge");

        Assert.Equal(1, h.Run());

        h.Error(CniErrorCode.InvalidNetworkConfig);
    }

    [Fact]
    public void Version_IgnoresStdinAndPrintsSupportedVersions()
    {
        var h = new HostHarness { Stdin = new ThrowingStream() };
        h.Env["CNI_COMMAND"] = "VERSION";

        Assert.Equal(0, h.Run());

        Assert.Equal("""{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}""", h.StdoutText);
    }

    [Fact]
    public void NoCommand_PrintsTheAboutLineOnStderrAndSucceeds()
    {
        var h = new HostHarness { Stdin = new ThrowingStream() };

        Assert.Equal(0, h.Run());

        Assert.Equal(0, h.Stdout.Length);
        Assert.StartsWith("CniSharp ", h.Stderr.ToString());
        Assert.Contains("CNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0", h.Stderr.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_DescribesTypesEnvironmentAndLogging(string flag)
    {
        var h = new HostHarness { Stdin = new ThrowingStream() };
        h.AddPlugin("cnisharp-bridge");
        h.AddPlugin("cnisharp-host-local");

        Assert.Equal(0, h.Run(flag));

        string usage = h.StdoutText;
        Assert.Matches(@"\n  cnisharp-bridge +\S.*\n  cnisharp-host-local +\S", usage);
        foreach (string word in new[] { "CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH", "CNISHARP_LOG_FILE", "CNISHARP_LOG_LEVEL" })
            Assert.Contains(word, usage);
    }

    [Fact]
    public void VersionFlag_PrintsVersionAndSpecVersions()
    {
        var h = new HostHarness();

        Assert.Equal(0, h.Run("--version"));

        Assert.Equal($"cnisharp {CniHost.ProductVersion} (CNI spec versions: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0)\n", h.StdoutText);
    }

    [Fact]
    public void UnknownArgument_IsAUsageError()
    {
        var h = new HostHarness();

        Assert.Equal(2, h.Run("--frobnicate"));

        Assert.Contains("--frobnicate", h.Stderr.ToString());
        Assert.Equal(0, h.Stdout.Length);
    }

    [Fact]
    public void CniException_KeepsCodeMessageAndDetails()
    {
        var h = HostHarness.ForAdd(BridgeConfig);
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>()))
            .Throws(new CniException(CniErrorCode.TryAgainLater, "pool busy", "retry in 1s"));

        Assert.Equal(1, h.Run());

        Assert.Equal("""{"cniVersion":"1.0.0","code":11,"msg":"pool busy","details":"retry in 1s"}""", h.StdoutText);
    }

    [Fact]
    public void OtherException_Is999WithDetailsFromTheInnerException()
    {
        var h = HostHarness.ForAdd(BridgeConfig);
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>()))
            .Throws(new InvalidOperationException("could not set up veth", new IOException("disk on fire")));

        Assert.Equal(1, h.Run());

        JsonElement error = h.Error(CniErrorCode.Internal);
        Assert.Equal("could not set up veth", error.GetProperty("msg").GetString());
        Assert.Equal("disk on fire", error.GetProperty("details").GetString());
    }

    [Fact]
    public void NetlinkAndUnixExceptions_Are999()
    {
        var h = HostHarness.ForAdd(BridgeConfig, "DEL");
        Mock<IPlugin> plugin = h.AddPlugin("cnisharp-bridge");
        plugin.Setup(p => p.Del(It.IsAny<PluginRequest>())).Throws(new NetlinkException("add link \"veth1\"", 17, "File exists"));
        Assert.Equal(1, h.Run());
        Assert.Contains("add link \"veth1\"", h.Error(CniErrorCode.Internal).GetProperty("msg").GetString());

        h = HostHarness.ForAdd(BridgeConfig, "CHECK");
        h.Config("""{"cniVersion":"1.0.0","name":"net1","type":"cnisharp-bridge"}""");
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Check(It.IsAny<PluginRequest>())).Throws(new UnixException(2, "setns", "/var/run/netns/x"));
        Assert.Equal(1, h.Run());
        JsonElement error = h.Error(CniErrorCode.Internal);
        Assert.False(error.TryGetProperty("details", out _));
    }

    [Fact]
    public void UnconvertibleResult_LeavesOnlyTheErrorOnStdout()
    {
        var h = HostHarness.ForAdd("""{"cniVersion":"0.2.0","name":"net1","type":"cnisharp-bridge"}""");
        CniResult result = SampleResults.DualStack();
        result.Ips.Add(new CniIPConfig { Address = CniSharp.Ip.IPPrefix.Parse("10.9.9.9/24") });
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>())).Returns(result);

        Assert.Equal(1, h.Run());

        Assert.Equal("0.2.0", h.Error(CniErrorCode.IncompatibleVersion).GetProperty("cniVersion").GetString());
    }

    [Fact]
    public void EnvironmentError_IsCode4InTheLatestVersion()
    {
        var h = HostHarness.ForAdd(BridgeConfig);
        h.Env.Remove("CNI_IFNAME");
        h.AddPlugin("cnisharp-bridge");

        Assert.Equal(1, h.Run());

        JsonElement error = h.Error(CniErrorCode.InvalidEnvironmentVariables);
        Assert.Contains("CNI_IFNAME", error.GetProperty("msg").GetString());
    }

    [Theory]
    [InlineData("{not json", 6)]
    [InlineData("""{"cniVersion":"0.9.0","name":"n","type":"cnisharp-bridge"}""", 1)]
    [InlineData("""{"cniVersion":"1.0.0","name":"../x","type":"cnisharp-bridge"}""", 7)]
    public void ConfigErrors_KeepTheirCodes(string config, int code)
    {
        var h = HostHarness.ForAdd(config);
        h.AddPlugin("cnisharp-bridge");

        Assert.Equal(1, h.Run());

        h.Error((CniErrorCode)code);
    }

    [Fact]
    public void OversizeStdin_IsRefusedWithoutReadingItAll()
    {
        var h = HostHarness.ForAdd(BridgeConfig);
        var endless = new EndlessStream();
        h.Stdin = endless;
        h.AddPlugin("cnisharp-bridge");

        Assert.Equal(1, h.Run());

        Assert.Contains("larger than 4 MiB", h.Error(CniErrorCode.IOFailure).GetProperty("msg").GetString());
        Assert.True(endless.BytesRead <= CniHost.MaxStdinBytes + 1);
    }

    [Fact]
    public void StdinJustUnderTheCap_IsRead()
    {
        string padding = new(' ', CniHost.MaxStdinBytes - BridgeConfig.Length);
        var h = HostHarness.ForAdd(BridgeConfig + padding);
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>())).Returns(new CniResult());

        Assert.Equal(0, h.Run());
    }

    [Fact]
    public void StdinReadFailure_IsCode5()
    {
        var h = HostHarness.ForAdd(BridgeConfig);
        h.Stdin = new ThrowingStream();
        h.AddPlugin("cnisharp-bridge");

        Assert.Equal(1, h.Run());

        h.Error(CniErrorCode.IOFailure);
    }

    [Fact]
    public void Logging_IsOffByDefault()
    {
        var h = HostHarness.ForAdd(BridgeConfig);
        bool? enabled = null;
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>()))
            .Callback(() => enabled = Log.IsEnabled(LogLevel.Error)).Returns(new CniResult());

        Assert.Equal(0, h.Run());

        Assert.False(enabled);
    }

    [Fact]
    public void Logging_WithEnvironmentFile_WritesTheInvocationAndDetachesAfterwards()
    {
        string dir = TempDir();
        string file = Path.Combine(dir, "logs", "cnisharp.log");
        var h = HostHarness.ForAdd(BridgeConfig);
        h.Env["CNISHARP_LOG_FILE"] = file;
        h.Env["CNISHARP_LOG_LEVEL"] = "debug";
        bool? enabled = null;
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>()))
            .Callback(() =>
            {
                enabled = Log.IsEnabled(LogLevel.Debug);
                Log.Debug("from the plugin");
            })
            .Returns(new CniResult());

        Assert.Equal(0, h.Run());

        Assert.True(enabled);
        Assert.False(Log.IsEnabled(LogLevel.Error));
        string log = File.ReadAllText(file);
        Assert.Contains("ADD container=c0ffee ifname=eth0 netns=/var/run/netns/cni-1", log);
        Assert.Contains("from the plugin", log);
        Assert.Contains("ok in", log);
        Assert.DoesNotContain("from the plugin", h.StdoutText);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Logging_FromConfigSection_LogsFailures()
    {
        string dir = TempDir();
        string file = Path.Combine(dir, "net.log");
        var h = HostHarness.ForAdd($$$"""{"cniVersion":"1.0.0","name":"net1","type":"cnisharp-bridge","log":{"file":"{{{file}}}","level":"info"}}""");
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>())).Throws(new CniException(CniErrorCode.NotAvailable, "pool exhausted"));

        Assert.Equal(1, h.Run());

        string log = File.ReadAllText(file);
        Assert.Contains("failed", log);
        Assert.Contains("code 50: pool exhausted", log);
        Assert.DoesNotContain("start", log);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Logging_ToAnUnusablePath_WarnsOnStderrAndStillServes()
    {
        string dir = TempDir();
        string blocker = Path.Combine(dir, "file");
        File.WriteAllText(blocker, "");
        var h = HostHarness.ForAdd(BridgeConfig);
        h.Env["CNISHARP_LOG_FILE"] = Path.Combine(blocker, "sub", "x.log");
        h.AddPlugin("cnisharp-bridge").Setup(p => p.Add(It.IsAny<PluginRequest>())).Returns(new CniResult());

        Assert.Equal(0, h.Run());

        Assert.Contains("cannot open log file", h.Stderr.ToString());
        Assert.Equal("""{"cniVersion":"1.0.0"}""", h.StdoutText);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Registry_RejectsDuplicateTypes()
    {
        var a = new Mock<IPlugin>();
        a.SetupGet(p => p.Type).Returns("x");
        Assert.Throws<ArgumentException>(() => new PluginRegistry([a.Object, a.Object]));
    }

    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cnisharp-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private sealed class ThrowingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("stdin is broken");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A writer that never stops: the host must give up at the cap.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            BytesRead += count;
            return count;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
