using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Ipam;

namespace CniSharp.Tests.Ipam;

/// <summary>Builds the NetConf and requests host-local sees, from JSON fragments.</summary>
internal static class IpamTestConfigs
{
    public static NetConf Conf(string ipamJson, string name = "testnet", string? cniVersion = "1.0.0",
        string? runtimeConfig = null, string? args = null) => new()
    {
        CniVersion = cniVersion,
        Name = name,
        Type = "bridge",
        Ipam = Json(ipamJson),
        RuntimeConfig = runtimeConfig is null ? null : Json(runtimeConfig),
        Args = args is null ? null : Json(args),
    };

    public static IpamRequest Request(NetConf conf, string containerId = "c1", string ifName = "eth0", string? cniArgs = null) =>
        new(new CniArgs { Command = CniCommand.Add, ContainerId = containerId, IfName = ifName, Args = cniArgs }, conf);

    public static string Ranges(params string[] sets) =>
        $$"""{"type":"host-local","ranges":[{{string.Join(",", sets)}}]}""";

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
