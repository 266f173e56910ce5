using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>CNI_ARGS as runtimes send them (the same string to every plugin of the chain).</summary>
[Collection(KernelCollection.Name)]
public class CniArgsTests
{
    public CniArgsTests() => CniPluginRunner.RequireBinary();

    [RootTheory]
    // containerd's CRI, in the order a Go map happened to give (multus#1276 shows it is not stable).
    [InlineData("1.0.0", "IgnoreUnknown=1;K8S_POD_NAME=web-0;K8S_POD_NAMESPACE=default;K8S_POD_INFRA_CONTAINER_ID=abc123;K8S_POD_UID=7f3e-11")]
    [InlineData("0.4.0", "K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=abc123;K8S_POD_UID=7f3e-11;IgnoreUnknown=1;K8S_POD_NAMESPACE=default")]
    // Unknown keys without IgnoreUnknown: the reference refuses them, we accept them on purpose (CniEnvArgs).
    [InlineData("1.0.0", "K8S_POD_NAME=web-0;SOMETHING_ELSE=x/y:z")]
    public void KubernetesAndUnknownKeys_AreAccepted_ThroughAddCheckDel(string version, string cniArgs)
    {
        using var net = new TestNetwork(cniVersion: version);
        using var pod = new TestNamespace("args");
        using var chain = new ChainRunner(Conflist.Of(net, Conflist.Bridge(net)), Unique.ContainerId(), pod.Path, cniArgs: cniArgs);

        JsonElement result = chain.Add().ShouldSucceed().Result;
        Assert.Contains(Assert.Single(Conflist.Addresses(result)), Shell.Addresses("eth0", pod.Name));
        chain.Check(result).ShouldSucceed();
        chain.Del(result).ShouldSucceed();
        Assert.Empty(net.Reservations());
    }

    [RootTheory]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    public void Ip_RequestsThatAddress(string version)
    {
        using var net = new TestNetwork(cniVersion: version);
        using var pod = new TestNamespace("argsip");
        string wanted = $"10.231.{net.Octet}.99";
        using var chain = new ChainRunner(Conflist.Of(net, Conflist.Bridge(net)), Unique.ContainerId(), pod.Path,
            cniArgs: $"IgnoreUnknown=1;K8S_POD_NAME=x;IP={wanted}");

        JsonElement result = chain.Add().ShouldSucceed().Result;
        Assert.Equal([$"{wanted}/24"], Conflist.Addresses(result));
        Assert.Contains($"{wanted}/24", Shell.Addresses("eth0", pod.Name));
        Assert.Equal([wanted], net.Reservations());
        chain.Check(result).ShouldSucceed();
        chain.Del(result).ShouldSucceed();
        Assert.Empty(net.Reservations());
    }

    [RootTheory]
    [InlineData("IgnoreUnknown=1;K8S_POD_NAME")]
    [InlineData("garbage")]
    [InlineData("K8S_POD_NAME=x;=novalue")]
    public void MalformedPair_FailsWithCode4_AndLeavesNothing(string cniArgs)
    {
        using var net = new TestNetwork(cniVersion: "1.0.0");
        using var pod = new TestNamespace("argsbad");
        using var chain = new ChainRunner(Conflist.Of(net, Conflist.Bridge(net)), Unique.ContainerId(), pod.Path, cniArgs: cniArgs);

        ChainRunner.Outcome add = chain.Add();
        ChainRunner.Step failed = Assert.Single(add.Steps);
        Assert.False(failed.Succeeded, failed.ToString());
        Assert.Equal(4, failed.Output.ErrorCode);
        Assert.Contains("CNI_ARGS", failed.Output.ErrorMessage);

        Assert.False(Shell.LinkExists("eth0", pod.Name));
        Assert.Empty(net.Reservations());
        Assert.Empty(net.AttachmentRecords());
        Assert.True(!Shell.LinkExists(net.Bridge) || Shell.IpJson("link", "show", "master", net.Bridge).GetArrayLength() == 0,
            "a port was left on the bridge");
    }
}
