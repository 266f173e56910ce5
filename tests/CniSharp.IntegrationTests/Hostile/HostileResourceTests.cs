using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>Hostile conditions that need more than a config edit: a full pool, a read-only disk, a flood on stdin.</summary>
public class HostileResourceTests
{
    /// <summary>The peak resident set a hostile stdin may cost; a healthy run stays near 20 MiB.</summary>
    private const long MaxPeakRssKiB = 64 * 1024;

    public HostileResourceTests() => CniPluginRunner.RequireBinary();

    [RootFact]
    public void ExhaustedPool_IsCode11_AndTheEarlierPodIsIntact()
    {
        // A /30 holds two usable addresses and the gateway takes one: the resident pod filled the pool.
        using var sandbox = new HostileSandbox(subnet: "10.99.0.0/30");
        Assert.Equal("10.99.0.2/30", sandbox.ResidentAddress);
        SandboxSnapshot before = sandbox.Snapshot();

        PluginRun run = sandbox.Run(HostileSandbox.Bytes(sandbox.Config()), sandbox.Env("ADD"));

        CniErrorAssert.IsError(run, 11, "no IP addresses available in range set: 10.99.0.1-10.99.0.2");
        AssertUnchanged(sandbox, before, run);
        Assert.Contains("10.99.0.2/30", Shell.Addresses("eth0", sandbox.Resident!.Name));
        Assert.Equal($"{sandbox.ResidentId}\r\neth0", File.ReadAllText(Path.Combine(sandbox.DataDir, sandbox.Network, "10.99.0.2")));
    }

    [RootFact]
    public void ReadOnlyDataDir_IsCode5NamingTheDirectory_AndChangesNothing()
    {
        using var sandbox = new HostileSandbox();
        SandboxSnapshot before = sandbox.Snapshot();
        // The read-only bind mount exists only in a private mount namespace of this one run: nothing to clean up,
        // nothing another test could see. Root ignores permission bits, but not a read-only mount.
        string[] readOnlyDataDir =
        [
            "unshare", "--mount", "--propagation", "private", "sh", "-c", "mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"", sandbox.DataDir,
        ];

        PluginRun run = sandbox.Run(HostileSandbox.Bytes(sandbox.Config()), sandbox.Env("ADD"), wrapper: readOnlyDataDir);

        CniErrorAssert.IsError(run, 5, Path.Combine(sandbox.DataDir, sandbox.Network));
        Assert.Contains("Read-only file system", run.Stdout);
        AssertUnchanged(sandbox, before, run);
    }

    [RootTheory]
    [InlineData("64 MiB of spaces")]
    [InlineData("5 MiB valid-looking JSON")]
    public void OversizedStdin_IsCode5_QuicklyAndInBoundedMemory(string what)
    {
        using var sandbox = new HostileSandbox();
        byte[] stdin = what.StartsWith("64")
            ? Encoding.ASCII.GetBytes(new string(' ', 64 * 1024 * 1024))
            : HostileSandbox.Bytes(sandbox.Config(c => c["padding"] = new string('p', 5 * 1024 * 1024)));
        SandboxSnapshot before = sandbox.Snapshot();

        PluginRun run = sandbox.Run(stdin, sandbox.Env("ADD"), measureMemory: true, timeout: TimeSpan.FromSeconds(20));

        CniErrorAssert.IsError(run, 5, "larger than 4 MiB");
        Assert.True(run.PeakRssKiB is > 0 and < MaxPeakRssKiB, $"peak RSS {run.PeakRssKiB} KiB (limit {MaxPeakRssKiB})");
        AssertUnchanged(sandbox, before, run);
    }

    [RootFact]
    public void NearlyCapSizedConfig_IsReadWhole_InBoundedMemory()
    {
        using var sandbox = new HostileSandbox();
        // 3.8 MiB in 40 000 strings, just under the cap, with an error only the last key reveals: all of it is parsed.
        string config = sandbox.Config(c =>
        {
            c["padding"] = new JsonArray([.. Enumerable.Range(0, 40_000).Select(i => (JsonNode)new string('p', 90))]);
            c["mtu"] = 10;
        });
        Assert.InRange(config.Length, 3_500_000, 4 * 1024 * 1024);
        SandboxSnapshot before = sandbox.Snapshot();

        PluginRun run = sandbox.Run(HostileSandbox.Bytes(config), sandbox.Env("ADD"), measureMemory: true, timeout: TimeSpan.FromSeconds(20));

        CniErrorAssert.IsError(run, 7, "invalid mtu 10");
        Assert.True(run.PeakRssKiB is > 0 and < MaxPeakRssKiB, $"peak RSS {run.PeakRssKiB} KiB (limit {MaxPeakRssKiB})");
        AssertUnchanged(sandbox, before, run);
    }

    [RootFact]
    public void NoCniCommand_PrintsWhatItIsOnStderr_NothingOnStdout_AndExits0()
    {
        using var sandbox = new HostileSandbox();
        Dictionary<string, string?> env = sandbox.Env("ADD");
        env["CNI_COMMAND"] = null;
        SandboxSnapshot before = sandbox.Snapshot();

        PluginRun run = sandbox.Run(HostileSandbox.Bytes(sandbox.Config()), env);

        // As skel: an operator ran the binary by hand; say what it is, do nothing.
        Assert.True(run.ExitCode == 0 && run.Stdout == "", run.ToString());
        Assert.Contains("CNI protocol versions supported", run.Stderr);
        AssertUnchanged(sandbox, before, run);
    }

    [RootFact]
    public void NoCniVersion_MeansVersion010_AndWorks()
    {
        // Not hostile after all: libcni reads an absent cniVersion as 0.1.0, and so must the plugin.
        using var sandbox = new HostileSandbox();
        string config = sandbox.Config(c => c.Remove("cniVersion"));

        PluginRun add = sandbox.Run(HostileSandbox.Bytes(config), sandbox.Env("ADD"));
        Assert.True(add.ExitCode == 0, add.ToString());
        JsonElement result = JsonDocument.Parse(add.Stdout).RootElement;
        Assert.Equal("0.1.0", result.GetProperty("cniVersion").GetString());
        Assert.Equal("10.99.0.3/24", result.GetProperty("ip4").GetProperty("ip").GetString());

        PluginRun del = sandbox.Run(HostileSandbox.Bytes(config), sandbox.Env("DEL"));
        Assert.True(del.ExitCode == 0 && del.Stdout == "", del.ToString());
        Assert.False(Shell.LinkExists("eth0", sandbox.Target.Name));
    }

    private static void AssertUnchanged(HostileSandbox sandbox, SandboxSnapshot before, PluginRun run)
    {
        string changed = sandbox.Snapshot().DifferenceFrom(before);
        Assert.True(changed == "", $"the run changed the sandbox:\n{changed}\n{run}");
    }
}
