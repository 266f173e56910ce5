using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>cnisharp-bridge followed by the reference tuning, which changes the container interface after us.</summary>
[Collection(KernelCollection.Name)]
public class TuningChainTests
{
    public TuningChainTests() => CniPluginRunner.RequireBinary();

    [ReferencePluginTheory]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    public void TuningChangesMacAndSysctl_TheFinalResultSaysSo_AndOurCheckAcceptsIt(string version)
    {
        using var net = new TestNetwork(cniVersion: version);
        using var pod = new TestNamespace("tune");
        string id = Unique.ContainerId();
        string mac = Conflist.RandomMac();
        JsonObject tuning = new()
        {
            ["type"] = "tuning",
            ["mac"] = mac,
            ["sysctl"] = new JsonObject { ["net.ipv4.conf.eth0.arp_notify"] = "1" },
            // Its saved originals (restored on DEL) stay inside the test's data dir, not in /run/cni/tuning.
            ["dataDir"] = Path.Combine(net.DataDir, "tuning"),
        };
        using var chain = new ChainRunner(Conflist.Of(net, Conflist.Bridge(net), tuning), id, pod.Path);

        ChainRunner.Outcome add = chain.Add();
        Assert.True(add.Succeeded, add.ToString());
        string ourMac = Conflist.SandboxInterface(add.Steps[0].Output.Json).GetProperty("mac").GetString()!;
        Assert.NotEqual(mac, ourMac, StringComparer.OrdinalIgnoreCase);

        // tuning rewrote the MAC in the result it passed on, and the kernel agrees.
        JsonElement final = add.Result;
        Assert.Equal(version, final.GetProperty("cniVersion").GetString());
        Assert.Equal(mac, Conflist.SandboxInterface(final).GetProperty("mac").GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(mac, Shell.IpJson("-n", pod.Name, "link", "show", "eth0")[0].GetProperty("address").GetString(),
            StringComparer.OrdinalIgnoreCase);
        Assert.Equal("1", Shell.Run("ip", ["netns", "exec", pod.Name, "cat", "/proc/sys/net/ipv4/conf/eth0/arp_notify"]).Stdout.Trim());
        Assert.Equal(Conflist.Addresses(add.Steps[0].Output.Json), Conflist.Addresses(final));

        // CHECK gets the final result: our CHECK must judge the container by the MAC tuning left, not by ours.
        ChainRunner.Outcome check = chain.Check(final);
        Assert.True(check.Succeeded, check.ToString());

        ChainRunner.Outcome del = chain.Del(final);
        Assert.True(del.Succeeded, del.ToString());
        Assert.False(Shell.LinkExists("eth0", pod.Name));
        Assert.Empty(net.Reservations());
    }
}
