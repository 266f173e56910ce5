using System.Text.Json;
using CniSharp.Operator;
using CniSharp.Tests.Ipam;

namespace CniSharp.Tests.Operator;

public class NetworkConfigFileTests
{
    private static NetworkConfigFile Load(string json)
    {
        using var dir = new TempDir();
        string path = dir.Combine("10-x.conflist");
        File.WriteAllText(path, json);
        return NetworkConfigFile.Load(path);
    }

    [Fact]
    public void PicksTheHighestVersionWeSpeak_FromCniVersionAndCniVersions()
    {
        var file = Load("""{"cniVersion":"1.0.0","cniVersions":["0.4.0","1.1.0","9.0.0"],"name":"n","plugins":[{"type":"cnisharp-bridge"}]}""");
        Assert.Equal("1.1.0", file.Version);
        JsonElement plugin = JsonDocument.Parse(file.PluginConfig(file.Plugins[0])).RootElement;
        Assert.Equal("n", plugin.GetProperty("name").GetString());
        Assert.Equal("1.1.0", plugin.GetProperty("cniVersion").GetString());
        Assert.Equal("cnisharp-bridge", plugin.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"True\"", true)]
    [InlineData("false", false)]
    [InlineData("\"no\"", false)]
    public void ReadsDisableGC_AsLibcniDoes(string value, bool disabled) =>
        Assert.Equal(disabled, Load($$"""{"cniVersion":"1.1.0","name":"n","disableGC":{{value}},"plugins":[]}""").GcDisabled);

    [Fact]
    public void ASingleConf_IsItsOwnOnlyPlugin() =>
        Assert.Single(Load("""{"cniVersion":"1.0.0","name":"n","type":"cnisharp-bridge"}""").Plugins);

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","plugins":[]}""", "name")]
    [InlineData("""{"cniVersion":"7.0.0","name":"n","plugins":[]}""", "supported")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[1]}""", "not an object")]
    [InlineData("""[1]""", "JSON object")]
    public void RejectsWhatLibcniWouldNotLoad(string json, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => Load(json)).Message);
}
