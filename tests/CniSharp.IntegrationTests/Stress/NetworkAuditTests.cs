using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Stress;

/// <summary>The stress tests are only as good as their audit: each kind of damage must be reported.</summary>
[Collection(StressCollection.Name)]
public class NetworkAuditTests
{
    [RootFact]
    public void Audit_ReportsEveryKindOfDamage_AndNothingOnAHealthyNetwork()
    {
        CniPluginRunner.RequireBinary();
        using var net = new TestNetwork();
        string config = net.Config();
        using var a = new StressPod("sta");
        using var b = new StressPod("sta");
        using var idle = new StressPod("sta");
        Assert.True(a.Add(config).ExitCode == 0);
        Assert.True(b.Add(config).ExitCode == 0);
        StressPod[] pods = [a, b, idle];
        Assert.Empty(NetworkAudit.Violations(net, pods));

        File.WriteAllText(Path.Combine(net.StoreDir, ".cnisharp-1-00.tmp"), "");
        File.WriteAllText(Path.Combine(net.StoreDir, $"10.231.{net.Octet}.250"), "");
        File.WriteAllText(Path.Combine(net.StoreDir, $"10.231.{net.Octet}.251"), StressPod.OwnerKeyOf("stranger"));
        File.Delete(Path.Combine(net.StoreDir, b.Address!));
        Shell.Ip("-n", a.NetnsName, "addr", "del", $"{a.Address}/24", "dev", StressPod.IfName);
        // A leftover host end under the idle pod's derived name (veth: CI kernels may lack the dummy driver).
        Shell.Ip("link", "add", idle.HostVeth, "type", "veth", "peer", "name", "cnq" + Unique.Hex(8));
        Directory.CreateDirectory(Path.Combine(net.StateDir, net.Name, "attachments"));
        File.WriteAllText(Path.Combine(net.StateDir, net.Name, "attachments", "gone-eth0.json"), "{}");

        try
        {
            List<string> problems = NetworkAudit.Violations(net, pods);
            Assert.Contains(problems, p => p.Contains(".cnisharp-1-00.tmp"));
            Assert.Contains(problems, p => p.Contains($".250 (empty reservation)"));
            Assert.Contains(problems, p => p.Contains($"reservation 10.231.{net.Octet}.251 belongs to no live pod"));
            Assert.Contains(problems, p => p.Contains($"holds {b.Address} without a reservation"));
            Assert.Contains(problems, p => p.Contains(a.NetnsName) && p.Contains("netns holds"));
            Assert.Contains(problems, p => p.Contains($"host veth {idle.HostVeth} outlived"));
            Assert.Contains(problems, p => p.Contains("attachment record gone-eth0.json"));
            Assert.Equal(7, problems.Count);
        }
        finally
        {
            Shell.Run("ip", ["link", "del", idle.HostVeth]);
            a.Del(config);
            b.Del(config);
        }
    }
}
