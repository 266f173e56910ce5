using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// cnisharp-bridge followed by the reference bandwidth plugin (capability bandwidth). bandwidth finds the host veth
/// through our result: the interface without a sandbox that is the container interface's peer.
/// </summary>
[Collection(KernelCollection.Name)]
public class BandwidthChainTests
{
    private const long IngressRate = 8_000_000, IngressBurst = 800_000; // bits/s, bits
    private const long EgressRate = 4_000_000, EgressBurst = 400_000;

    public BandwidthChainTests() => CniPluginRunner.RequireBinary();

    [ReferencePluginTheory]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    public void Shaping_LandsOnOurHostVeth_AndAnIfb_AndDelRemovesBoth(string version)
    {
        using var net = new TestNetwork(cniVersion: version);
        using var pod = new TestNamespace("bw");
        string id = Unique.ContainerId();
        string ifb = IfbName(net.Name, id);
        var limits = Conflist.Args(("bandwidth",
            $$"""{"ingressRate":{{IngressRate}},"ingressBurst":{{IngressBurst}},"egressRate":{{EgressRate}},"egressBurst":{{EgressBurst}}}"""));
        try
        {
            using var chain = new ChainRunner(
                Conflist.Of(net, Conflist.Bridge(net), new JsonObject { ["type"] = "bandwidth" }.Capabilities("bandwidth")),
                id, pod.Path, capabilityArgs: limits);

            ChainRunner.Outcome add = chain.Add();
            Assert.True(add.Succeeded, add.ToString());
            JsonElement final = add.Result;
            string hostVeth = final.GetProperty("interfaces")[1].GetProperty("name").GetString()!;

            // Ingress (into the pod) is a TBF on the host veth's egress; egress is mirrored to the ifb and shaped there.
            JsonElement vethTbf = Qdisc(hostVeth, "tbf");
            Assert.True(vethTbf.TryGetProperty("root", out JsonElement root) && root.GetBoolean(), vethTbf.ToString());
            Assert.Equal(IngressRate / 8, vethTbf.GetProperty("options").GetProperty("rate").GetInt64());
            Qdisc(hostVeth, "ingress");
            Assert.Contains($"Egress Redirect to device {ifb}", Tc("filter", "show", "dev", hostVeth, "parent", "ffff:"));
            Assert.Equal("ifb", Shell.IpJson("-d", "link", "show", ifb)[0].GetProperty("linkinfo").GetProperty("info_kind").GetString());
            Assert.Equal(EgressRate / 8, Qdisc(ifb, "tbf").GetProperty("options").GetProperty("rate").GetInt64());

            ChainRunner.Outcome check = chain.Check(final);
            Assert.True(check.Succeeded, check.ToString());

            ChainRunner.Outcome del = chain.Del(final);
            Assert.True(del.Succeeded, del.ToString());
            Assert.False(Shell.LinkExists(ifb), $"{ifb} left behind");
            Assert.False(Shell.LinkExists(hostVeth), $"{hostVeth} left behind");
        }
        finally
        {
            if (Shell.LinkExists(ifb)) Shell.Run("ip", ["link", "del", ifb]);
        }
    }

    /// <summary>The reference's ifb name: "bwp" + the first 12 hex digits of sha512(network name + container id).</summary>
    private static string IfbName(string network, string containerId) =>
        "bwp" + Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(network + containerId)))[..12];

    private static JsonElement Qdisc(string dev, string kind)
    {
        JsonElement all = JsonDocument.Parse(Tc("-j", "qdisc", "show", "dev", dev)).RootElement.Clone();
        return all.EnumerateArray().Single(q => q.GetProperty("kind").GetString() == kind);
    }

    private static string Tc(params string[] args)
    {
        Shell.Output o = Shell.Run("tc", args);
        if (o.ExitCode != 0) throw new InvalidOperationException($"tc {string.Join(' ', args)} failed: {o.Stderr}");
        return o.Stdout;
    }
}
