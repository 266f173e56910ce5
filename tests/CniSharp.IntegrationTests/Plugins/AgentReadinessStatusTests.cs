using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

/// <summary>
/// readinessFile, as cnisharp-agent writes it into its conflist: STATUS of cnisharp-bridge and cnisharp-ptp
/// follows the file's age (a throwaway file whose mtime the test sets); ADD is not blocked by a stale one.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentReadinessStatusTests : IDisposable
{
    private readonly NodeNamespace _node = new();
    private readonly TestNamespace _pod = new("ready");
    private readonly string _dir = Directory.CreateTempSubdirectory("cnisharp-readiness-").FullName;

    public AgentReadinessStatusTests() => CniPluginRunner.RequireBinary();

    public void Dispose()
    {
        _pod.Dispose();
        _node.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [RootTheory]
    [InlineData("cnisharp-bridge")]
    [InlineData("cnisharp-ptp")]
    public void Status_Follows_The_Agents_Readiness_File_And_Add_Is_Not_Blocked(string plugin)
    {
        using var net = new TestNetwork();
        string ready = Path.Combine(_dir, "ready");
        Action<JsonObject> withFile = c => c["readinessFile"] = ready;
        string config = plugin == "cnisharp-ptp" ? net.PtpConfig(withFile) : net.Config(withFile);
        CniPluginRunner.Invocation Run(string command, string id = "", string? netns = null) =>
            CniPluginRunner.Run(plugin, command, config, id, netns, id.Length == 0 ? "" : "eth0", hostNetns: _node.Name);

        var missing = Run("STATUS");
        Assert.True(missing.ErrorCode == 50, missing.ToString());
        Assert.Contains(ready, missing.ErrorMessage);
        Assert.Contains("missing", missing.ErrorMessage);
        Assert.Contains("not running", missing.ErrorMessage);

        File.WriteAllText(ready, "node 2026-01-01T00:00:00Z\n");
        File.SetLastWriteTimeUtc(ready, DateTime.UtcNow - TimeSpan.FromSeconds(5));
        var fresh = Run("STATUS");
        Assert.True(fresh.ExitCode == 0, fresh.ToString());

        File.SetLastWriteTimeUtc(ready, DateTime.UtcNow - TimeSpan.FromSeconds(90));
        var stale = Run("STATUS");
        Assert.True(stale.ErrorCode == 50, stale.ToString());
        Assert.Contains(ready, stale.ErrorMessage);
        Assert.Matches(@"is (8[5-9]|9[0-9]) s old", stale.ErrorMessage);
        Assert.Contains("not running or not ready", stale.ErrorMessage);

        // ADD is the runtime's call once STATUS said no; made anyway, it wires the pod.
        string id = Unique.ContainerId();
        var add = Run("ADD", id, _pod.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
        var del = CniPluginRunner.Run(plugin, "DEL", TestNetwork.WithPrevResult(config, add.Json), id, _pod.Path, "eth0", hostNetns: _node.Name);
        Assert.True(del.ExitCode == 0, del.ToString());
    }
}
