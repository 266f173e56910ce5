namespace CniSharp.Cni;

/// <summary>
/// The four result layouts the spec has had, after Go's pkg/types/{020,040,100}: 0.1.0/0.2.0 (ip4/ip6),
/// 0.3.0–0.4.0 (ips[] with "version"), 1.0.0 (no "version"), and 1.1.0 (1.0.0 plus mtu/socketPath/pciID and
/// route mtu/advmss/priority/table/scope).
/// </summary>
internal enum ResultShape
{
    V020,
    V040,
    V100,
    V110,
}

internal static class ResultShapes
{
    /// <summary>The layout of a supported version; anything else is code 1.</summary>
    public static ResultShape For(string version) => version switch
    {
        "0.1.0" or "0.2.0" => ResultShape.V020,
        "0.3.0" or "0.3.1" or "0.4.0" => ResultShape.V040,
        "1.0.0" => ResultShape.V100,
        "1.1.0" => ResultShape.V110,
        _ => throw new CniException(CniErrorCode.IncompatibleVersion,
            $"unsupported CNI result version \"{version}\": supported are {string.Join(", ", CniVersions.Supported)}"),
    };
}
