using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Plugins.Portmap;

/// <summary>Reads a cnisharp-portmap configuration and says, key by key, what is not supported.</summary>
internal static class PortmapConfig
{
    public static PortmapNetConf Load(PluginRequest request)
    {
        try
        {
            return request.Config.Deserialize(PortmapJsonContext.Default.PortmapNetConf)
                ?? throw CniException.InvalidConfig("network configuration is null");
        }
        catch (JsonException e)
        {
            throw CniException.InvalidConfig($"invalid cnisharp-portmap configuration at {e.Path ?? "$"}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The reference keys CniSharp does not implement, refused by ADD (code 2) and STATUS (code 50) — never
    /// ignored: a mapping that behaves other than configured is worse than none. DEL, CHECK and GC accept them.
    /// </summary>
    public static void RefuseUnsupported(PortmapNetConf conf, CniErrorCode code = CniErrorCode.UnsupportedField)
    {
        if (conf.Backend is { Length: > 0 } backend && backend != "nftables")
            throw new CniException(code, backend == "iptables"
                ? "unsupported field \"backend\": \"iptables\": cnisharp-portmap programs nf_tables over netlink and runs no iptables binary; set \"backend\": \"nftables\" or remove it"
                : $"unsupported field \"backend\": \"{backend}\": the only backend is \"nftables\"");
        if (conf.MasqAll == true)
            throw new CniException(code,
                "unsupported field \"masqAll\": true: it is for pods whose traffic bypasses the host (ipvlan, macvlan), which CniSharp does not make; remove it");
        Refuse(conf.MarkMasqBit, "markMasqBit", "it configures the reference's iptables backend; cnisharp-portmap marks no packets", code);
        Refuse(conf.ExternalSetMarkChain, "externalSetMarkChain", "it configures the reference's iptables backend; cnisharp-portmap uses no mark chain", code);
        Refuse(conf.ConditionsV4, "conditionsV4", "cnisharp-portmap does not parse iptables or nft rule text", code);
        Refuse(conf.ConditionsV6, "conditionsV6", "cnisharp-portmap does not parse iptables or nft rule text", code);
    }

    private static void Refuse(JsonElement? value, string key, string why, CniErrorCode code)
    {
        if (value is not { } v || v.ValueKind == JsonValueKind.Null) return;
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0) return;
        throw new CniException(code, $"unsupported field \"{key}\": {why}; remove it");
    }
}
