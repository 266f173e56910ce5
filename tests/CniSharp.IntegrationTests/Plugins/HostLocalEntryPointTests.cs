using System.Text.Json;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

/// <summary>cnisharp-host-local exec'd as an IPAM plugin: it gets its parent's config, whose type is the parent's.</summary>
[Collection(KernelCollection.Name)]
public class HostLocalEntryPointTests
{
    public HostLocalEntryPointTests() => CniPluginRunner.RequireBinary();

    [RootFact]
    public void ExecutedByName_ServesIpam_ForAnotherPluginsConfig()
    {
        string dataDir = Unique.TempDir("hl");
        try
        {
            string name = "hl-" + Unique.Hex(6);
            string config = $$$"""
                {"cniVersion":"1.0.0","name":"{{{name}}}","type":"bridge","bridge":"whatever",
                 "ipam":{"type":"cnisharp-host-local","ranges":[[{"subnet":"10.233.7.0/29"}]],"dataDir":"{{{dataDir}}}",
                         "routes":[{"dst":"0.0.0.0/0"}]}}
                """;
            string id = Unique.ContainerId();
            var add = CniPluginRunner.Run("cnisharp-host-local", "ADD", config, id, "/proc/self/ns/net", "eth0");
            Assert.True(add.ExitCode == 0, add.ToString());
            JsonElement ip = add.Json.GetProperty("ips")[0];
            Assert.Equal("10.233.7.2/29", ip.GetProperty("address").GetString());
            Assert.Equal("10.233.7.1", ip.GetProperty("gateway").GetString());
            Assert.False(ip.TryGetProperty("interface", out _));
            Assert.Equal("0.0.0.0/0", add.Json.GetProperty("routes")[0].GetProperty("dst").GetString());
            Assert.Equal($"{id}\r\neth0", File.ReadAllText(Path.Combine(dataDir, name, "10.233.7.2")));

            Assert.Equal(0, CniPluginRunner.Run("cnisharp-host-local", "CHECK", config, id, "/proc/self/ns/net", "eth0").ExitCode);
            Assert.Equal(0, CniPluginRunner.Run("cnisharp-host-local", "DEL", config, id, "", "eth0").ExitCode);
            Assert.False(File.Exists(Path.Combine(dataDir, name, "10.233.7.2")));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
