using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Pods;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>
/// A pod as a runtime sees it: a netns of its own and, while attached, a container id and the ADD result.
/// A new sandbox in the same netns gets a new container id (<see cref="NewSandbox"/>), as with a restarted pod.
/// </summary>
internal sealed class StressPod : IDisposable
{
    public const string IfName = "eth0";

    private readonly TestNamespace _netns;

    public StressPod(string purpose, PluginTarget? target = null)
    {
        _netns = new TestNamespace(purpose);
        ContainerId = Unique.ContainerId();
        Target = target ?? PluginTarget.Bridge;
    }

    /// <summary>The plugin that attaches this pod, and where it runs.</summary>
    public PluginTarget Target { get; }

    public string ContainerId { get; private set; }

    public string NetnsName => _netns.Name;

    public string NetnsPath => _netns.Path;

    /// <summary>The last successful ADD's result; null before ADD and after DEL.</summary>
    public JsonElement? Result { get; private set; }

    public bool IsAttached => Result is not null;

    /// <summary>The IPv4 address the ADD handed out, without prefix length.</summary>
    public string? Address => Result is JsonElement r ? AddressIn(r) : null;

    /// <summary>What the store file of this pod's address must hold: "containerID\r\nifname".</summary>
    public string OwnerKey => OwnerKeyOf(ContainerId);

    /// <summary>The host end's name is derived from (id, ifname), so it is known even when ADD never finished.</summary>
    public string HostVeth => HostVethName.For(ContainerId, IfName);

    /// <summary>The attachment record the plugin keeps for this pod (stateDir/name/attachments/...).</summary>
    public string RecordName => $"{ContainerId}-{IfName}.json";

    public static string OwnerKeyOf(string containerId) => containerId + "\r\n" + IfName;

    public static string AddressIn(JsonElement result) =>
        result.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!)
            .First(a => !a.Contains(':')).Split('/')[0];

    /// <summary>A new container id for the next ADD; only between a DEL and that ADD.</summary>
    public void NewSandbox()
    {
        if (IsAttached) throw new InvalidOperationException($"pod {ContainerId} is still attached");
        ContainerId = Unique.ContainerId();
    }

    public CniPluginRunner.Invocation Add(string config)
    {
        var add = Target.Run("ADD", config, ContainerId, NetnsPath, IfName);
        if (add.ExitCode == 0) Result = add.Json;
        return add;
    }

    /// <summary>ADD through the launcher that kill tests use, so its duration compares with their kill delays.</summary>
    public TimeSpan AddMeasured(string config)
    {
        InterruptedRun.Outcome add = InterruptedRun.Run("ADD", config, this, killAfter: null);
        if (!add.Completed) throw new InvalidOperationException($"ADD of {ContainerId}: {add}");
        Result = add.Result;
        return add.Lifetime;
    }

    /// <summary>DEL with the cached result as prevResult (as libcni does); emptyNetns as nerdctl and ctr send it.</summary>
    public CniPluginRunner.Invocation Del(string config, bool emptyNetns = false)
    {
        string withPrev = Result is JsonElement r ? TestNetwork.WithPrevResult(config, r) : config;
        var del = Target.Run("DEL", withPrev, ContainerId, emptyNetns ? "" : NetnsPath, IfName);
        if (del.ExitCode == 0) Result = null;
        return del;
    }

    public CniPluginRunner.Invocation Check(string config)
    {
        JsonElement result = Result ?? throw new InvalidOperationException($"CHECK of pod {ContainerId} that is not attached");
        return Target.Run("CHECK", TestNetwork.WithPrevResult(config, result), ContainerId, NetnsPath, IfName);
    }

    public override string ToString() => $"pod {ContainerId} (netns {NetnsName}, {Address ?? "detached"})";

    public void Dispose() => _netns.Dispose();
}
