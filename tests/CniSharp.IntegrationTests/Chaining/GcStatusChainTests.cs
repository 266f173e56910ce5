using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>The 1.1.0 verbs through the chain runner: STATUS and GC get no container, GC gets the valid attachments.</summary>
[Collection(KernelCollection.Name)]
public class GcStatusChainTests
{
    public GcStatusChainTests() => CniPluginRunner.RequireBinary();

    [RootFact]
    public void Gc_ReleasesTheUnlistedAttachmentsAddress_AndStatusIsReady()
    {
        using var net = new TestNetwork(cniVersion: "1.1.0");
        using var pod1 = new TestNamespace("gc1");
        using var pod2 = new TestNamespace("gc2");
        var conflist = Conflist.Of(net, Conflist.Bridge(net));
        using var kept = new ChainRunner(conflist, Unique.ContainerId(), pod1.Path);
        using var stale = new ChainRunner(conflist, Unique.ContainerId(), pod2.Path);
        JsonElement keptResult = kept.Add().ShouldSucceed().Result;
        JsonElement staleResult = stale.Add().ShouldSucceed().Result;
        string keptIp = Conflist.Addresses(keptResult).Single().Split('/')[0];
        Assert.Equal(2, net.Reservations().Count);

        ChainRunner.Outcome status = kept.Status().ShouldSucceed();
        Assert.Equal("", status.Steps[0].Output.Stdout);

        ChainRunner.Outcome gc = kept.Gc([(kept.ContainerId, "eth0")]).ShouldSucceed();
        Assert.Equal("", gc.Steps[0].Output.Stdout);
        Assert.Equal(kept.ContainerId, gc.Steps[0].Stdin["cni.dev/valid-attachments"]![0]!["containerID"]!.GetValue<string>());
        Assert.Equal([keptIp], net.Reservations());

        kept.Del(keptResult).ShouldSucceed();
        stale.Del(staleResult).ShouldSucceed();
        Assert.Empty(net.Reservations());
    }
}
