using System.Net.NetworkInformation;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Pods;

namespace CniSharp.Tests.Pods;

public class MacAddressSourceTests
{
    private static NetConf Conf(string? runtimeMac, string? argsMac) => new()
    {
        RuntimeConfig = runtimeMac is null ? null : JsonDocument.Parse($$"""{"mac":"{{runtimeMac}}"}""").RootElement,
        Args = argsMac is null ? null : JsonDocument.Parse($"{{\"cni\":{{\"mac\":\"{argsMac}\"}}}}").RootElement,
    };

    [Theory]
    [InlineData("02:00:00:00:00:01", "02:00:00:00:00:02", "MAC=02:00:00:00:00:03", "02-00-00-00-00-01")]
    [InlineData(null, "02:00:00:00:00:02", "MAC=02:00:00:00:00:03", "02-00-00-00-00-02")]
    [InlineData(null, null, "IgnoreUnknown=1;MAC=02:00:00:00:00:03", "02-00-00-00-00-03")]
    public void RuntimeConfig_BeatsArgs_BeatsCniArgs(string? runtime, string? args, string cniArgs, string expected)
    {
        PhysicalAddress? mac = MacAddressSource.Resolve(Conf(runtime, args), CniEnvArgs.Parse(cniArgs));
        Assert.Equal(PhysicalAddress.Parse(expected), mac);
    }

    [Fact]
    public void NoSource_MeansKernelChosen() => Assert.Null(MacAddressSource.Resolve(Conf(null, null), CniEnvArgs.Empty));

    [Theory]
    [InlineData("zz:00:00:00:00:01")]
    [InlineData("02:00:00:00:00")]
    [InlineData("01:00:5e:00:00:01")]
    public void InvalidMac_IsAnInvalidConfig(string mac)
    {
        var e = Assert.Throws<CniException>(() => MacAddressSource.Parse(mac));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains(mac, e.Message);
    }
}
