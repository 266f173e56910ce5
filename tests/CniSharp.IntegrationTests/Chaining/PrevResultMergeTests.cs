using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// A plugin before cnisharp-bridge. Our ADD must pass its result on, merged (the contract): interfaces =
/// prevResult's then ours; ips = prevResult's then ours, our "interface" indices offset by prevResult's interface
/// count; routes = prevResult's then ours; dns = ours when configured, else prevResult's.
/// </summary>
[Collection(KernelCollection.Name)]
public class PrevResultMergeTests
{
    public PrevResultMergeTests() => CniPluginRunner.RequireBinary();

    [ReferencePluginTheory]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    public void ReferenceLoopbackFirst_ItsLoIsKept_AndOursFollow(string version)
    {
        using var net = new TestNetwork(cniVersion: version);
        using var pod = new TestNamespace("merge");
        string id = Unique.ContainerId();
        using var chain = new ChainRunner(
            Conflist.Of(net, new JsonObject { ["type"] = "loopback" }, Conflist.Bridge(net, b => b["isDefaultGateway"] = true)),
            id, pod.Path);

        ChainRunner.Outcome add = chain.Add();
        Assert.True(add.Succeeded, add.ToString());
        JsonElement lo = add.Steps[0].Output.Json, final = add.Result;
        Assert.Equal("lo", lo.GetProperty("interfaces")[0].GetProperty("name").GetString());
        Assert.Equal(version, final.GetProperty("cniVersion").GetString());

        JsonElement interfaces = final.GetProperty("interfaces");
        Assert.Equal(4, interfaces.GetArrayLength());
        AssertSame(lo.GetProperty("interfaces")[0], interfaces[0]);
        Assert.Equal(net.Bridge, interfaces[1].GetProperty("name").GetString());
        Assert.StartsWith("cns", interfaces[2].GetProperty("name").GetString());
        Assert.Equal("eth0", interfaces[3].GetProperty("name").GetString());
        Assert.Equal(pod.Path, interfaces[3].GetProperty("sandbox").GetString());

        JsonElement[] loIps = lo.GetProperty("ips").EnumerateArray().ToArray();
        JsonElement[] ips = final.GetProperty("ips").EnumerateArray().ToArray();
        Assert.Equal(loIps.Length + 1, ips.Length);
        // Debian's loopback prints 0.4.0 ips without "version"; the 0.3.x/0.4.0 shape has it ("4"), and we write it.
        for (int i = 0; i < loIps.Length; i++) AssertSame(WithoutVersion(loIps[i]), WithoutVersion(ips[i]));
        JsonElement ours = ips[^1];
        Assert.StartsWith($"10.231.{net.Octet}.", ours.GetProperty("address").GetString());
        Assert.Equal(net.Gateway4, ours.GetProperty("gateway").GetString());
        Assert.Equal(3, ours.GetProperty("interface").GetInt32());

        JsonElement route = Assert.Single(final.GetProperty("routes").EnumerateArray());
        Assert.Equal("0.0.0.0/0", route.GetProperty("dst").GetString());
        // Neither configures DNS: the loopback's (empty) dns, or none at all.
        if (final.TryGetProperty("dns", out JsonElement dns)) AssertSame(lo.GetProperty("dns"), dns);

        Assert.Contains(ours.GetProperty("address").GetString()!, Shell.Addresses("eth0", pod.Name));
        ChainRunner.Outcome check = chain.Check(final);
        Assert.True(check.Succeeded, check.ToString());
        ChainRunner.Outcome del = chain.Del(final);
        Assert.True(del.Succeeded, del.ToString());
        Assert.Equal(["cnisharp-bridge", "loopback"], del.Steps.Select(s => s.Type));
        Assert.Empty(net.Reservations());
    }

    [RootTheory]
    [InlineData("1.0.0", false)]
    [InlineData("1.0.0", true)]
    [InlineData("0.4.0", false)]
    [InlineData("0.4.0", true)]
    public void PrevResultWithRoutesAndDns_IsMergedExactly(string version, bool ourDns)
    {
        using var net = new TestNetwork(cniVersion: version);
        using var pod = new TestNamespace("merge");
        string v = version == "0.4.0" ? "\"version\": \"4\", " : "";
        string prevJson = """
            {"cniVersion": "@VERSION@",
             "interfaces": [{"name": "lo", "mac": "00:00:00:00:00:00", "sandbox": "@NETNS@"}, {"name": "tap-prev", "mac": "02:00:00:00:00:01"}],
             "ips": [{@V@"address": "127.0.0.1/8", "interface": 0}, {@V@"address": "192.0.2.10/32", "interface": 1}],
             "routes": [{"dst": "198.51.100.0/24", "gw": "192.0.2.1"}],
             "dns": {"nameservers": ["192.0.2.53"], "search": ["prev.example"]}}
            """;
        using var before = new FakePlugin(prevJson.Replace("@VERSION@", version).Replace("@V@", v));
        var bridge = Conflist.Bridge(net, b =>
        {
            b["isDefaultGateway"] = true;
            if (ourDns) b["dns"] = new JsonObject { ["nameservers"] = new JsonArray("10.96.0.10"), ["search"] = new JsonArray("ours.example") };
        });
        using var chain = new ChainRunner(Conflist.Of(net, new JsonObject { ["type"] = before.Type }, bridge),
            Unique.ContainerId(), pod.Path, cniPath: [.. ChainRunner.DefaultCniPath, before.Dir]);

        ChainRunner.Outcome add = chain.Add();
        Assert.True(add.Succeeded, add.ToString());
        JsonElement prev = add.Steps[0].Output.Json, final = add.Result;

        JsonElement[] interfaces = final.GetProperty("interfaces").EnumerateArray().ToArray();
        Assert.Equal(5, interfaces.Length);
        AssertSame(prev.GetProperty("interfaces")[0], interfaces[0]);
        AssertSame(prev.GetProperty("interfaces")[1], interfaces[1]);
        Assert.Equal([net.Bridge, "eth0"], new[] { interfaces[2], interfaces[4] }.Select(i => i.GetProperty("name").GetString()));

        JsonElement[] ips = final.GetProperty("ips").EnumerateArray().ToArray();
        Assert.Equal(3, ips.Length);
        AssertSame(prev.GetProperty("ips")[0], ips[0]);
        AssertSame(prev.GetProperty("ips")[1], ips[1]);
        Assert.Equal(4, ips[2].GetProperty("interface").GetInt32());
        Assert.Equal(net.Gateway4, ips[2].GetProperty("gateway").GetString());

        JsonElement[] routes = final.GetProperty("routes").EnumerateArray().ToArray();
        Assert.Equal(2, routes.Length);
        AssertSame(prev.GetProperty("routes")[0], routes[0]);
        Assert.Equal("0.0.0.0/0", routes[1].GetProperty("dst").GetString());

        JsonElement dns = final.GetProperty("dns");
        if (ourDns)
            AssertSame(JsonDocument.Parse("""{"nameservers": ["10.96.0.10"], "search": ["ours.example"]}""").RootElement, dns);
        else
            AssertSame(prev.GetProperty("dns"), dns);

        ChainRunner.Outcome del = chain.Del(final);
        Assert.True(del.Succeeded, del.ToString());
        Assert.Empty(net.Reservations());
    }

    private static JsonElement WithoutVersion(JsonElement ip)
    {
        JsonObject copy = JsonNode.Parse(ip.GetRawText())!.AsObject();
        copy.Remove("version");
        return JsonDocument.Parse(copy.ToJsonString()).RootElement.Clone();
    }

    private static void AssertSame(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.GetRawText()), JsonNode.Parse(actual.GetRawText())),
            $"expected {expected}, got {actual}");
}
