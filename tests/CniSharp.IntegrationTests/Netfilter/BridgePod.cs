using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Netfilter;

/// <summary>
/// A pod of a test network attached by one main plugin binary alone (cnisharp-bridge unless told otherwise): its
/// netns, id and last result.
/// </summary>
internal sealed class BridgePod : IDisposable
{
    private readonly TestNamespace _netns;
    private readonly string _plugin;

    public BridgePod(string purpose = "nf", string plugin = "cnisharp-bridge")
    {
        _netns = new TestNamespace(purpose);
        _plugin = plugin;
        ContainerId = Unique.ContainerId();
    }

    public string ContainerId { get; }
    public string Netns => _netns.Name;
    public JsonElement Result { get; private set; }

    public string Address4 => Addresses().Single(a => !a.Contains(':'));
    public string Address6 => Addresses().Single(a => a.Contains(':'));
    public string Mac => Result.GetProperty("interfaces")[2].GetProperty("mac").GetString()!;
    public string HostVeth => Result.GetProperty("interfaces")[1].GetProperty("name").GetString()!;

    public CniPluginRunner.Invocation Add(string config)
    {
        var add = CniPluginRunner.Run(_plugin, "ADD", config, ContainerId, _netns.Path, "eth0");
        if (add.ExitCode == 0) Result = add.Json;
        return add;
    }

    public void AddOrFail(string config)
    {
        var add = Add(config);
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    public CniPluginRunner.Invocation Del(string config, bool emptyNetns = false) =>
        CniPluginRunner.Run(_plugin, "DEL", config, ContainerId, emptyNetns ? "" : _netns.Path, "eth0");

    public List<string> Addresses() =>
        Result.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!.Split('/')[0]).ToList();

    public void Dispose() => _netns.Dispose();
}
