using System.Text;
using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Tests.Cni;

public class NetConfDecoderTests
{
    private static DecodedConfig Decode(string json, CniCommand command = CniCommand.Add) =>
        NetConfDecoder.Decode(command, Encoding.UTF8.GetBytes(json));

    private static CniException Fails(string json, CniCommand command = CniCommand.Add) =>
        Assert.Throws<CniException>(() => Decode(json, command));

    [Fact]
    public void ValidConfig_DecodesCommonKeysAndKeepsTheDocument()
    {
        DecodedConfig c = Decode("""
            {"cniVersion":"1.0.0","name":"net1","type":"cnisharp-bridge","bridge":"cni0",
             "ipam":{"type":"host-local"},"dns":{"nameservers":["10.96.0.10"]},
             "prevResult":{"ips":[]},"capabilities":{"mac":true}}
            """);
        Assert.Equal("1.0.0", c.Version);
        Assert.Equal("net1", c.Conf.Name);
        Assert.Equal("cnisharp-bridge", c.Conf.Type);
        Assert.Equal("host-local", c.Conf.IpamType);
        Assert.Equal(["10.96.0.10"], c.Conf.Dns!.Nameservers!);
        Assert.Equal("cni0", c.Config.GetProperty("bridge").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"name\": }")]
    [InlineData("not json")]
    [InlineData("{\"name\":\"a\",\"type\":\"b\"} trailing")]
    [InlineData("[1,2]")]
    public void MalformedJson_IsCode6(string json)
    {
        CniException ex = Fails(json);
        Assert.Equal(CniErrorCode.DecodingFailure, ex.Code);
    }

    [Fact]
    public void InvalidUtf8_IsCode6SayingWhere_EvenInAKeyNobodyReads()
    {
        byte[] stdin = [.. Encoding.UTF8.GetBytes("""{"name":"n","type":"t","x":"a"""), 0xC3, .. Encoding.UTF8.GetBytes("\"}")];
        CniException ex = Assert.Throws<CniException>(() => NetConfDecoder.Decode(CniCommand.Add, stdin));
        Assert.Equal(CniErrorCode.DecodingFailure, ex.Code);
        Assert.Contains("not valid UTF-8", ex.Message);
        Assert.Contains("offset 29", ex.Message);
    }

    [Fact]
    public void MalformedJson_MessageSaysWhere()
    {
        CniException ex = Fails("{\n\"name\": \"a\",\n\"type\": }");
        Assert.Contains("LineNumber: 2", ex.Message);
    }

    [Theory]
    [InlineData("""{"name":"n","type":"t","cniVersion":1}""", "cniVersion")]
    [InlineData("""{"name":5,"type":"t"}""", "name")]
    [InlineData("""{"name":"n","type":true}""", "type")]
    [InlineData("""{"name":"n","type":"t","dns":{"nameservers":"10.0.0.1"}}""", "dns.nameservers")]
    [InlineData("""{"name":"n","type":"t","log":{"file":3}}""", "log.file")]
    public void WrongType_IsCode7NamingTheKey(string json, string key)
    {
        CniException ex = Fails(json);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains($"\"{key}\"", ex.Message);
    }

    [Theory]
    [InlineData("""{"name":"n"}""")]
    [InlineData("""{"name":"n","type":""}""")]
    [InlineData("""{"name":"n","type":null}""")]
    [InlineData("""{"name":"n","type":"../bin/sh"}""")]
    public void MissingOrBadType_IsCode7(string json)
    {
        CniException ex = Fails(json);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains("type", ex.Message);
    }

    [Theory]
    [InlineData("""{"type":"t"}""")]
    [InlineData("""{"type":"t","name":""}""")]
    public void MissingName_IsCode7(string json)
    {
        CniException ex = Fails(json);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains("name", ex.Message);
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("a/b")]
    [InlineData("-net")]
    [InlineData("net work")]
    [InlineData("net\n")]
    public void BadName_IsCode7(string name)
    {
        CniException ex = Fails(JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = name, ["type"] = "t" }, TestJson.Default.DictionaryStringString));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains("name", ex.Message);
    }

    [Fact]
    public void OverLongName_IsCode7SayingTheLimit()
    {
        string name = new('n', CniEnvironment.MaxIdentifierLength + 1);
        CniException ex = Fails($$"""{"name":"{{name}}","type":"t"}""");
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains($"at most {CniEnvironment.MaxIdentifierLength}", ex.Message);
        Assert.True(ex.Message.Length < 300, "the message quotes a prefix of the name, not all of it");
        Assert.Equal(new string('n', CniEnvironment.MaxIdentifierLength),
            Decode($$"""{"name":"{{new string('n', CniEnvironment.MaxIdentifierLength)}}","type":"t"}""").Conf.Name);
    }

    [Theory]
    [InlineData("""{"name":"n","type":"t","ipam":"host-local"}""", "\"ipam\" must be an object, got a string")]
    [InlineData("""{"name":"n","type":"t","ipam":[]}""", "\"ipam\" must be an object, got an array")]
    [InlineData("""{"name":"n","type":"t","ipam":true}""", "\"ipam\" must be an object, got a boolean")]
    [InlineData("""{"name":"n","type":"t","ipam":{"type":5}}""", "\"ipam.type\" must be a string, got a number")]
    [InlineData("""{"name":"n","type":"t","ipam":{"type":{}}}""", "\"ipam.type\" must be a string")]
    public void IpamOfTheWrongShape_IsCode7_NotSilentlyLayer2(string json, string message)
    {
        CniException ex = Fails(json);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, ex.Code);
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("""{"name":"n","type":"t"}""")]
    [InlineData("""{"name":"n","type":"t","ipam":null}""")]
    [InlineData("""{"name":"n","type":"t","ipam":{}}""")]
    [InlineData("""{"name":"n","type":"t","ipam":{"type":""}}""")]
    [InlineData("""{"name":"n","type":"t","ipam":{"type":null}}""")]
    public void AbsentOrTypelessIpam_IsLayer2(string json)
    {
        Assert.Null(Decode(json).Conf.IpamType);
    }

    [Fact]
    public void AbsentVersion_Means010()
    {
        Assert.Equal("0.1.0", Decode("""{"name":"n","type":"t"}""").Version);
    }

    [Theory]
    [InlineData("0.5.0")]
    [InlineData("2.0.0")]
    [InlineData("1.1")]
    [InlineData("latest")]
    public void UnsupportedVersion_IsCode1ListingSupported(string version)
    {
        CniException ex = Fails($$"""{"cniVersion":"{{version}}","name":"n","type":"t"}""");
        Assert.Equal(CniErrorCode.IncompatibleVersion, ex.Code);
        Assert.Contains(version, ex.Message);
        Assert.Contains("0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0", ex.Message);
    }

    [Theory]
    [InlineData("CHECK", "0.3.1", false)]
    [InlineData("CHECK", null, false)]
    [InlineData("CHECK", "0.4.0", true)]
    [InlineData("CHECK", "1.0.0", true)]
    [InlineData("GC", "1.0.0", false)]
    [InlineData("GC", "1.1.0", true)]
    [InlineData("STATUS", "0.4.0", false)]
    [InlineData("STATUS", "1.1.0", true)]
    [InlineData("ADD", "0.1.0", true)]
    [InlineData("DEL", "0.2.0", true)]
    public void VerbNeedsMinimumVersion(string verb, string? version, bool allowed)
    {
        CniCommand command = CniEnvironment.ParseCommand(verb);
        string json = version is null
            ? """{"name":"n","type":"t"}"""
            : $$"""{"cniVersion":"{{version}}","name":"n","type":"t"}""";
        if (allowed)
        {
            Decode(json, command);
            return;
        }
        CniException ex = Fails(json, command);
        Assert.Equal(CniErrorCode.IncompatibleVersion, ex.Code);
    }

    [Fact]
    public void UnknownKeys_AreIgnored()
    {
        DecodedConfig c = Decode("""{"cniVersion":"1.1.0","name":"n","type":"t","whatever":{"x":[1]},"cni.dev/valid-attachments":[]}""");
        Assert.Equal("n", c.Conf.Name);
    }
}
