using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Plugins.Shared;

/// <summary>The prevResult of a request, parsed into the newest shape; one without cniVersion speaks the config's.</summary>
internal static class PrevResult
{
    public static CniResult? TryParse(PluginRequest request) =>
        request.Conf.PrevResult is { ValueKind: JsonValueKind.Object } prev
            ? ResultParser.Parse(prev, request.Conf.EffectiveVersion)
            : null;

    public static CniResult Require(PluginRequest request, string verb) =>
        TryParse(request) ?? throw CniException.InvalidConfig($"{verb} requires prevResult: the runtime must pass the ADD result");
}
