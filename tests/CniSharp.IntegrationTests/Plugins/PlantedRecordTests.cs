using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

/// <summary>
/// A symlink planted in the state directory must not steer the plugin. Reading a record never follows a link
/// (O_NOFOLLOW), so a record forged elsewhere and linked in as pod A's cannot make A's DEL take pod B's veth.
/// The same case runs against the arm64 build under qemu in scripts/e2e/arm64.sh, where O_NOFOLLOW once was
/// x86-64's number and meant O_LARGEFILE.
/// </summary>
[Collection(KernelCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class PlantedRecordTests
{
    private const string Bridge = "cnisharp-bridge";

    public PlantedRecordTests() => CniPluginRunner.RequireBinary();

    [RootFact]
    public void Del_WithASymlinkedRecordNamingAnotherPodsVeth_LeavesThatPodAlone()
    {
        using var net = new TestNetwork();
        string config = net.Config();
        using var decoyNs = new TestNamespace("decoy");
        using var victimNs = new TestNamespace("planted");
        string decoyId = Unique.ContainerId(), victimId = Unique.ContainerId();

        var decoyAdd = CniPluginRunner.Run(Bridge, "ADD", config, decoyId, decoyNs.Path, "eth0");
        Assert.True(decoyAdd.ExitCode == 0, decoyAdd.ToString());
        var victimAdd = CniPluginRunner.Run(Bridge, "ADD", config, victimId, victimNs.Path, "eth0");
        Assert.True(victimAdd.ExitCode == 0, victimAdd.ToString());
        string decoyVeth = HostVeth(decoyAdd.Json), victimVeth = HostVeth(victimAdd.Json);

        // The forged record: the victim's own, but naming the decoy's veth; kept outside the state directory.
        string recordPath = Path.Combine(net.StateDir, net.Name, "attachments", $"{victimId}-eth0.json");
        JsonObject forged = JsonNode.Parse(File.ReadAllText(recordPath))!.AsObject();
        forged["hostVeth"] = decoyVeth;
        forged["hostVethIndex"] = Shell.IpJson("link", "show", decoyVeth)[0].GetProperty("ifindex").GetInt32();
        string forgedPath = Path.Combine(net.DataDir, "forged.json");
        File.WriteAllText(forgedPath, forged.ToJsonString());
        File.Delete(recordPath);
        File.CreateSymbolicLink(recordPath, forgedPath);

        var del = CniPluginRunner.Run(Bridge, "DEL", TestNetwork.WithPrevResult(config, victimAdd.Json), victimId, victimNs.Path, "eth0");

        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.True(Shell.LinkExists(decoyVeth), $"the decoy's veth {decoyVeth} was deleted through the planted link");
        Assert.True(Shell.LinkExists("eth0", decoyNs.Name));
        Assert.False(Shell.LinkExists(victimVeth));
        Assert.False(File.Exists(recordPath) || new FileInfo(recordPath).LinkTarget is not null, "the planted link is still there");
        Assert.Equal(forged.ToJsonString(), File.ReadAllText(forgedPath));

        var check = CniPluginRunner.Run(Bridge, "CHECK", TestNetwork.WithPrevResult(config, decoyAdd.Json), decoyId, decoyNs.Path, "eth0");
        Assert.True(check.ExitCode == 0, check.ToString());
        var decoyDel = CniPluginRunner.Run(Bridge, "DEL", TestNetwork.WithPrevResult(config, decoyAdd.Json), decoyId, decoyNs.Path, "eth0");
        Assert.True(decoyDel.ExitCode == 0, decoyDel.ToString());
        Assert.Empty(net.Reservations());
    }

    private static string HostVeth(JsonElement result) => result.GetProperty("interfaces")[1].GetProperty("name").GetString()!;
}
