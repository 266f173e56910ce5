using System.Diagnostics;
using System.Runtime.Versioning;

namespace CniSharp.Tests.Scripts;

/// <summary>
/// Runs scripts/install-cni.sh (the install-cni container entrypoint) against temp dirs
/// standing in for the image's /opt/cnisharp and the node's /opt/cni/bin and /etc/cni/net.d.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class InstallCniScriptTests : IDisposable
{
    private const UnixFileMode Mode0755 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Mode0644 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly string[] EntryPoints = ["cnisharp-bridge", "cnisharp-host-local", "cnisharp-loopback"];

    private readonly string _root;
    private readonly string _srcBin;
    private readonly string _srcConf;
    private readonly string _hostBin;
    private readonly string _hostConf;
    private readonly byte[] _binary = "\u007fELF fake cnisharp v2\n"u8.ToArray();
    private const string Conflist = """{"cniVersion":"1.1.0","name":"cnisharp","plugins":[{"type":"cnisharp-bridge"}]}""";

    public InstallCniScriptTests()
    {
        _root = Directory.CreateTempSubdirectory("cnisharp-install-cni-").FullName;
        _srcBin = Directory.CreateDirectory(Path.Combine(_root, "opt/cnisharp/bin")).FullName;
        _srcConf = Directory.CreateDirectory(Path.Combine(_root, "opt/cnisharp/conf")).FullName;
        _hostBin = Directory.CreateDirectory(Path.Combine(_root, "host/opt/cni/bin")).FullName;
        _hostConf = Path.Combine(_root, "host/etc/cni/net.d"); // created by the script

        string binary = Path.Combine(_srcBin, "cnisharp");
        File.WriteAllBytes(binary, _binary);
        File.SetUnixFileMode(binary, Mode0755);
        foreach (string name in EntryPoints)
            File.CreateSymbolicLink(Path.Combine(_srcBin, name), "cnisharp");
        File.WriteAllText(Path.Combine(_srcConf, "10-cnisharp.conflist"), Conflist);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void FreshInstall_CopiesBinarySymlinksAndConflist()
    {
        ScriptResult result = RunScript();

        Assert.True(result.ExitCode == 0, result.ToString());
        string installed = Path.Combine(_hostBin, "cnisharp");
        Assert.Null(new FileInfo(installed).LinkTarget);
        Assert.Equal(_binary, File.ReadAllBytes(installed));
        Assert.Equal(Mode0755, File.GetUnixFileMode(installed));
        foreach (string name in EntryPoints)
            Assert.Equal("cnisharp", new FileInfo(Path.Combine(_hostBin, name)).LinkTarget);

        string conf = Path.Combine(_hostConf, "10-cnisharp.conflist");
        Assert.Equal(Conflist, File.ReadAllText(conf));
        Assert.Equal(Mode0644, File.GetUnixFileMode(conf));
        AssertNoTempLeftovers();
    }

    [Fact]
    public void Install_LeavesUnrelatedFilesUntouched()
    {
        Directory.CreateDirectory(_hostConf);
        var others = new Dictionary<string, string>
        {
            [Path.Combine(_hostBin, "loopback")] = "reference loopback",
            [Path.Combine(_hostBin, "bridge")] = "reference bridge",
            [Path.Combine(_hostBin, "host-local")] = "reference host-local",
            [Path.Combine(_hostConf, "05-other.conflist")] = """{"name":"other"}""",
            [Path.Combine(_hostConf, "99-loopback.conf")] = """{"name":"lo"}""",
        };
        var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach ((string path, string content) in others)
        {
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, Mode0755);
            File.SetLastWriteTimeUtc(path, stamp);
        }

        ScriptResult result = RunScript();

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach ((string path, string content) in others)
        {
            Assert.Equal(content, File.ReadAllText(path));
            Assert.Equal(Mode0755, File.GetUnixFileMode(path));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        }
        Assert.Equal(
            ["bridge", "cnisharp", "cnisharp-bridge", "cnisharp-host-local", "cnisharp-loopback", "host-local", "loopback"],
            Names(_hostBin));
        Assert.Equal(["05-other.conflist", "10-cnisharp.conflist", "99-loopback.conf"], Names(_hostConf));
    }

    [Fact]
    public void Rerun_IsIdempotent()
    {
        Assert.Equal(0, RunScript().ExitCode);
        long inodeBefore = Inode(Path.Combine(_hostBin, "cnisharp"));

        ScriptResult second = RunScript();

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("unchanged", second.StdOut);
        Assert.Equal(inodeBefore, Inode(Path.Combine(_hostBin, "cnisharp")));
        Assert.Equal(_binary, File.ReadAllBytes(Path.Combine(_hostBin, "cnisharp")));
        Assert.Equal(["cnisharp", "cnisharp-bridge", "cnisharp-host-local", "cnisharp-loopback"], Names(_hostBin));
        Assert.Equal(["10-cnisharp.conflist"], Names(_hostConf));
        AssertNoTempLeftovers();
    }

    [Fact]
    public void Install_ReplacesOlderVersionByRename()
    {
        string old = Path.Combine(_hostBin, "cnisharp");
        File.WriteAllText(old, "old cnisharp v1");
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(_hostBin, "cnisharp-bridge"), "old regular file, not a link");
        File.CreateSymbolicLink(Path.Combine(_hostBin, "cnisharp-loopback"), "somewhere-else");
        Directory.CreateDirectory(_hostConf);
        File.WriteAllText(Path.Combine(_hostConf, "10-cnisharp.conflist"), "{\"old\":true}");

        // A reader holding the old binary open (as a running exec would) keeps seeing the old
        // bytes: the script must rename a new file into place, never rewrite the old one in place.
        using var holder = new FileStream(old, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        ScriptResult result = RunScript();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(_binary, File.ReadAllBytes(old));
        Assert.Equal(Mode0755, File.GetUnixFileMode(old));
        using (var reader = new StreamReader(holder))
            Assert.Equal("old cnisharp v1", reader.ReadToEnd());
        foreach (string name in EntryPoints)
            Assert.Equal("cnisharp", new FileInfo(Path.Combine(_hostBin, name)).LinkTarget);
        Assert.Equal(Conflist, File.ReadAllText(Path.Combine(_hostConf, "10-cnisharp.conflist")));
        AssertNoTempLeftovers();
    }

    [Fact]
    public void MissingSourceDir_FailsAndWritesNothing()
    {
        ScriptResult result = RunScript(env => env["CNISHARP_SRC_BIN_DIR"] = Path.Combine(_root, "nope"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("does not exist", result.StdErr);
        Assert.Empty(Names(_hostBin));
        Assert.False(Directory.Exists(_hostConf));
    }

    [Fact]
    public void ConflistName_AndSkip_AreHonoured()
    {
        ScriptResult renamed = RunScript(env => env["CNISHARP_CONFLIST_NAME"] = "00-first.conflist");
        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        Assert.Equal(["00-first.conflist"], Names(_hostConf));

        ScriptResult skipped = RunScript(env =>
        {
            env["CNISHARP_SKIP_CONFLIST"] = "true";
            env["CNISHARP_CONFLIST"] = Path.Combine(_root, "does-not-matter.conflist");
        });
        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Equal(["00-first.conflist"], Names(_hostConf));
    }

    [Fact]
    public void Help_PrintsUsage_UnknownArgumentFails()
    {
        ScriptResult help = RunScript(args: ["--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("CNISHARP_HOST_BIN_DIR", help.StdOut);

        ScriptResult bad = RunScript(args: ["--bogus"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Empty(Names(_hostBin));
    }

    private void AssertNoTempLeftovers()
    {
        foreach (string dir in new[] { _hostBin, _hostConf })
            Assert.DoesNotContain(Names(dir), n => n.EndsWith(".tmp", StringComparison.Ordinal) || n.StartsWith('.'));
    }

    private static string[] Names(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    private static long Inode(string path)
    {
        ScriptResult stat = Run("stat", ["-c", "%i", path], new Dictionary<string, string>());
        return long.Parse(stat.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private ScriptResult RunScript(Action<Dictionary<string, string>>? configure = null, string[]? args = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNISHARP_SRC_BIN_DIR"] = _srcBin,
            ["CNISHARP_HOST_BIN_DIR"] = _hostBin,
            ["CNISHARP_CONFLIST"] = Path.Combine(_srcConf, "10-cnisharp.conflist"),
            ["CNISHARP_HOST_CONF_DIR"] = _hostConf,
        };
        configure?.Invoke(env);
        string script = Path.Combine(RepoRoot.Value, "scripts", "install-cni.sh");
        return Run("bash", [script, .. args ?? ["--once"]], env);
    }

    private static ScriptResult Run(string file, string[] args, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
            psi.ArgumentList.Add(arg);
        foreach (string key in new[] { "CNISHARP_CONFLIST_NAME", "CNISHARP_SKIP_CONFLIST" })
            psi.Environment.Remove(key);
        foreach ((string key, string value) in env)
            psi.Environment[key] = value;

        using Process process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 60 s");
        }
        return new ScriptResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static readonly Lazy<string> RepoRoot = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CniSharp.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"CniSharp.sln not found above {AppContext.BaseDirectory}");
    });

    private sealed record ScriptResult(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
    }
}
