using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

/// <summary>An ipam.type other than ours is executed from CNI_PATH, exactly as the spec says.</summary>
[Collection(KernelCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class DelegatedIpamTests
{
    public DelegatedIpamTests() => CniPluginRunner.RequireBinary();

    [ReferencePluginFact]
    public void Bridge_WithReferenceHostLocal_AllocatesThroughIt_AndReleasesOnDel()
    {
        // Debian's reference plugins speak up to 1.0.0.
        using var net = new TestNetwork(cniVersion: "1.0.0");
        using var ns = new TestNamespace("deleg");
        string config = net.Config(ipamType: "host-local");
        string cniPath = $"{CniPluginRunner.BinDir}:{ReferencePluginFactAttribute.Dir}";
        string id = Unique.ContainerId();

        var add = CniPluginRunner.Run("cnisharp-bridge", "ADD", config, id, ns.Path, "eth0", cniPath: cniPath);
        Assert.True(add.ExitCode == 0, add.ToString());
        string address = BridgePluginTests.AddressOf(add.Json, v6: false);
        string ip = address.Split('/')[0];
        Assert.Contains(address, Shell.Addresses("eth0", ns.Name));
        Assert.Equal([ip], net.Reservations());
        Assert.Equal($"{id}\r\neth0", File.ReadAllText(Path.Combine(net.StoreDir, ip)));

        var del = CniPluginRunner.Run("cnisharp-bridge", "DEL", config, id, ns.Path, "eth0", cniPath: cniPath);
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Empty(net.Reservations());
    }

    [ReferencePluginFact]
    public void Bridge_WithReferenceHostLocal_PassesItsVersionErrorThrough_AndLeavesNothing()
    {
        using var net = new TestNetwork(cniVersion: "1.1.0");
        using var ns = new TestNamespace("delegv");
        string cniPath = $"{CniPluginRunner.BinDir}:{ReferencePluginFactAttribute.Dir}";
        var add = CniPluginRunner.Run("cnisharp-bridge", "ADD", net.Config(ipamType: "host-local"), Unique.ContainerId(), ns.Path, "eth0", cniPath: cniPath);

        Assert.Equal(1, add.ErrorCode);
        Assert.StartsWith("host-local:", add.ErrorMessage);
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Assert.False(Shell.LinkExists(net.Bridge));
    }

    [ReferencePluginFact]
    public void Bridge_WithMissingIpamPlugin_FailsNamingIt_AndLeavesNothing()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("nodeleg");
        var add = CniPluginRunner.Run("cnisharp-bridge", "ADD", net.Config(ipamType: "no-such-ipam"), Unique.ContainerId(), ns.Path, "eth0");

        Assert.NotEqual(0, add.ExitCode);
        Assert.Contains("no-such-ipam", add.ErrorMessage);
        Assert.False(Shell.LinkExists("eth0", ns.Name));
        Assert.False(Shell.LinkExists(net.Bridge));
    }

    [RootFact]
    public void Gc_ReleasesUnlistedAttachmentsThroughTheDelegate_AndForwardsGcToIt()
    {
        using var net = new TestNetwork();
        string binDir = Unique.TempDir("ipamwrap");
        try
        {
            // A delegated IPAM that logs each call, then is our host-local under its own name (argv[0] dispatch).
            string log = Path.Combine(binDir, "calls.log");
            string wrapper = Path.Combine(binDir, "logging-ipam");
            File.WriteAllText(wrapper, $"""
                #!/bin/bash
                echo "$CNI_COMMAND $CNI_CONTAINERID" >> {log}
                exec -a cnisharp-host-local {Path.Combine(CniPluginRunner.BinDir, "cnisharp")}
                """);
            File.SetUnixFileMode(wrapper, (UnixFileMode)0x1ED);
            string cniPath = $"{binDir}:{CniPluginRunner.BinDir}";
            string config = net.Config(ipamType: "logging-ipam");
            var pods = new List<(string Id, TestNamespace Ns)>();
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    var ns = new TestNamespace("dgc" + i);
                    string id = Unique.ContainerId();
                    pods.Add((id, ns));
                    var add = CniPluginRunner.Run("cnisharp-bridge", "ADD", config, id, ns.Path, "eth0", cniPath: cniPath);
                    Assert.True(add.ExitCode == 0, add.ToString());
                }
                File.WriteAllText(log, "");

                string gcConfig = net.Config(c => c["cni.dev/valid-attachments"] = System.Text.Json.Nodes.JsonNode.Parse(
                    $$"""[{"containerID": "{{pods[0].Id}}", "ifname": "eth0"}]"""), ipamType: "logging-ipam");
                var gc = CniPluginRunner.Run("cnisharp-bridge", "GC", gcConfig, cniPath: cniPath);
                Assert.True(gc.ExitCode == 0, gc.ToString());

                string[] calls = File.ReadAllLines(log);
                Assert.Equal(new[] { $"DEL {pods[1].Id}", $"DEL {pods[2].Id}", "GC " }.Order(), calls.Order());
                Assert.Single(net.Reservations());
                Assert.Equal([$"{pods[0].Id}-eth0.json"], net.AttachmentRecords());
            }
            finally
            {
                foreach (var (_, ns) in pods) ns.Dispose();
            }
        }
        finally
        {
            Directory.Delete(binDir, recursive: true);
        }
    }
}
