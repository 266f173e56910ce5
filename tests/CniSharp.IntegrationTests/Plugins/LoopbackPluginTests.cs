using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

[Collection(KernelCollection.Name)]
public class LoopbackPluginTests
{
    private const string Loopback = "cnisharp-loopback";

    public LoopbackPluginTests() => CniPluginRunner.RequireBinary();

    private static string Config(string version) =>
        $$"""{"cniVersion":"{{version}}","name":"lo-{{Unique.Hex(6)}}","type":"cnisharp-loopback"}""";

    [RootTheory]
    [InlineData("0.3.1")]
    [InlineData("1.1.0")]
    public void Add_BringsLoUp_CheckPasses_DelBringsItDown(string version)
    {
        using var ns = new TestNamespace("lo");
        Shell.Ip("-n", ns.Name, "link", "set", "lo", "down");
        string id = Unique.ContainerId();

        var add = CniPluginRunner.Run(Loopback, "ADD", Config(version), id, ns.Path, "lo");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("lo", add.Json.GetProperty("interfaces")[0].GetProperty("name").GetString());
        Assert.Contains(add.Json.GetProperty("ips").EnumerateArray(), ip => ip.GetProperty("address").GetString() == "127.0.0.1/8");
        Assert.True(IsUp(ns.Name));
        Assert.True(Shell.Ping(ns.Name, "127.0.0.1"));

        if (version != "0.3.1")
            Assert.Equal(0, CniPluginRunner.Run(Loopback, "CHECK", Config(version), id, ns.Path, "lo").ExitCode);

        Assert.Equal(0, CniPluginRunner.Run(Loopback, "DEL", Config(version), id, ns.Path, "lo").ExitCode);
        Assert.False(IsUp(ns.Name));
        Assert.Equal(0, CniPluginRunner.Run(Loopback, "DEL", Config(version), id, "", "lo").ExitCode);
    }

    [RootFact]
    public void Check_ReportsALoopbackThatWentDown()
    {
        using var ns = new TestNamespace("lochk");
        string id = Unique.ContainerId();
        Assert.Equal(0, CniPluginRunner.Run(Loopback, "ADD", Config("1.0.0"), id, ns.Path, "lo").ExitCode);
        Shell.Ip("-n", ns.Name, "link", "set", "lo", "down");

        var check = CniPluginRunner.Run(Loopback, "CHECK", Config("1.0.0"), id, ns.Path, "lo");
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("down", check.ErrorMessage);
    }

    private static bool IsUp(string netns) =>
        Shell.IpJson("-n", netns, "link", "show", "lo")[0].GetProperty("flags").EnumerateArray()
            .Any(f => f.GetString() == "UP");
}
