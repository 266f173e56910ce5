using System.Text.Json;
using CniSharp.Agent.Cli;
using CniSharp.Agent.Conflist;
using CniSharp.Ip;

namespace CniSharp.Agent.Tests.Conflist;

public sealed class ConflistWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cnisharp-agent-conflist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ConflistSettings Settings(ConflistPlugin plugin, params string[] subnets) =>
        new(plugin, subnets.Select(IPPrefix.Parse).ToList(), 1450, "/var/lib/cni", "/run/cnisharp-agent/ready");

    [Fact]
    public void Ptp_conflist_names_subnets_mtu_dirs_and_readiness()
    {
        using JsonDocument doc = JsonDocument.Parse(ConflistWriter.Render(Settings(ConflistPlugin.Ptp, "10.244.3.0/24", "fd00:244:3::/64")));
        JsonElement plugin = doc.RootElement.GetProperty("plugins")[0];
        Assert.Equal("cnisharp-ptp", plugin.GetProperty("type").GetString());
        Assert.False(plugin.GetProperty("ipMasq").GetBoolean());
        Assert.Equal(1450, plugin.GetProperty("mtu").GetInt32());
        Assert.Equal("/var/lib/cni/cnisharp", plugin.GetProperty("stateDir").GetString());
        Assert.Equal("/run/cnisharp-agent/ready", plugin.GetProperty("readinessFile").GetString());
        JsonElement ipam = plugin.GetProperty("ipam");
        Assert.Equal("cnisharp-host-local", ipam.GetProperty("type").GetString());
        Assert.Equal("/var/lib/cni/networks", ipam.GetProperty("dataDir").GetString());
        Assert.Equal(["10.244.3.0/24", "fd00:244:3::/64"],
            ipam.GetProperty("ranges").EnumerateArray().Select(r => r[0].GetProperty("subnet").GetString()));
        Assert.Equal(["0.0.0.0/0", "::/0"], ipam.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("dst").GetString()));
    }

    [Fact]
    public void Bridge_conflist_has_the_gateway_bridge()
    {
        using JsonDocument doc = JsonDocument.Parse(ConflistWriter.Render(Settings(ConflistPlugin.Bridge, "10.244.3.0/24")));
        JsonElement plugin = doc.RootElement.GetProperty("plugins")[0];
        Assert.Equal("cnisharp-bridge", plugin.GetProperty("type").GetString());
        Assert.True(plugin.GetProperty("isGateway").GetBoolean());
    }

    [Fact]
    public void Writes_once_atomically_and_reads_the_subnets_back()
    {
        var writer = new ConflistWriter(_dir);
        Assert.True(writer.Write(Settings(ConflistPlugin.Ptp, "10.244.3.0/24")));
        DateTime mtime = File.GetLastWriteTimeUtc(writer.Path);
        Assert.False(writer.Write(Settings(ConflistPlugin.Ptp, "10.244.3.0/24")));
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(writer.Path));
        Assert.Equal(["10-cnisharp.conflist"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal([IPPrefix.Parse("10.244.3.0/24")], writer.ReadSubnets());
        Assert.True(writer.Write(Settings(ConflistPlugin.Ptp, "10.244.7.0/24")));
        Assert.Equal([IPPrefix.Parse("10.244.7.0/24")], writer.ReadSubnets());
    }

    [Fact]
    public void No_file_or_garbage_means_no_previous_subnets()
    {
        var writer = new ConflistWriter(_dir);
        Assert.Empty(writer.ReadSubnets());
        File.WriteAllText(writer.Path, "{not json");
        Assert.Empty(writer.ReadSubnets());
    }
}
