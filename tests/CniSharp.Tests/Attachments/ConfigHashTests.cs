using System.Text.Json;
using CniSharp.Attachments;
using CniSharp.Files;

namespace CniSharp.Tests.Attachments;

public class ConfigHashTests
{
    private static string Hash(string json) => ConfigHash.Of(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void LeavesOutWhatTheRuntimeAddsPerCall()
    {
        string add = Hash("""{"name":"n","type":"cnisharp-bridge","bridge":"b0"}""");
        string del = Hash("""{"name":"n","type":"cnisharp-bridge","bridge":"b0","prevResult":{"cniVersion":"1.0.0"}}""");
        string gc = Hash("""{"name":"n","type":"cnisharp-bridge","bridge":"b0","cni.dev/valid-attachments":[]}""");
        Assert.Equal(add, del);
        Assert.Equal(add, gc);
        Assert.Matches("^fnv1a64:[0-9a-f]{16}$", add);
    }

    [Fact]
    public void ChangesWithAnyConfiguredValue() =>
        Assert.NotEqual(
            Hash("""{"name":"n","type":"cnisharp-bridge","bridge":"b0"}"""),
            Hash("""{"name":"n","type":"cnisharp-bridge","bridge":"b1"}"""));
}
