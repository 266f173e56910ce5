using System.Text;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Plugins;
using Moq;

namespace CniSharp.Tests.Host;

/// <summary>A CniHost wired to in-memory streams, a dictionary environment and Moq'd plugins.</summary>
internal sealed class HostHarness
{
    public Dictionary<string, string?> Env { get; } = new(StringComparer.Ordinal);

    public Stream Stdin { get; set; } = new MemoryStream();

    public MemoryStream Stdout { get; } = new();

    public StringWriter Stderr { get; } = new();

    public string Argv0 { get; set; } = "/opt/cni/bin/cnisharp";

    public List<IPlugin> Plugins { get; } = [];

    public string StdoutText => Encoding.UTF8.GetString(Stdout.ToArray());

    public static HostHarness ForAdd(string config, string command = "ADD")
    {
        var h = new HostHarness();
        h.Env["CNI_COMMAND"] = command;
        h.Env["CNI_CONTAINERID"] = "c0ffee";
        h.Env["CNI_NETNS"] = "/var/run/netns/cni-1";
        h.Env["CNI_IFNAME"] = "eth0";
        h.Env["CNI_PATH"] = "/opt/cni/bin";
        h.Config(config);
        return h;
    }

    public void Config(string json) => Stdin = new MemoryStream(Encoding.UTF8.GetBytes(json));

    public Mock<IPlugin> AddPlugin(string type)
    {
        var mock = new Mock<IPlugin>(MockBehavior.Strict);
        mock.SetupGet(p => p.Type).Returns(type);
        Plugins.Add(mock.Object);
        return mock;
    }

    public int Run(params string[] args) =>
        new CniHost(name => Env.GetValueOrDefault(name), Stdin, Stdout, Stderr, Argv0, new PluginRegistry(Plugins)).Run(args);

    /// <summary>Asserts stdout is exactly one JSON object and nothing else, and returns it.</summary>
    public JsonElement SingleJsonObject()
    {
        byte[] bytes = Stdout.ToArray();
        var reader = new Utf8JsonReader(bytes);
        JsonElement root = JsonElement.ParseValue(ref reader);
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(bytes.Length, (int)reader.BytesConsumed);
        return root;
    }

    /// <summary>Asserts the error JSON and returns it.</summary>
    public JsonElement Error(CniErrorCode code)
    {
        JsonElement error = SingleJsonObject();
        Assert.Equal((int)code, error.GetProperty("code").GetInt32());
        return error;
    }
}
