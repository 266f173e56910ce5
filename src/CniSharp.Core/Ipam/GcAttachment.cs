using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Ipam;

/// <summary>One attachment the runtime still uses, from a GC request's "cni.dev/valid-attachments".</summary>
internal sealed record GcAttachment(string ContainerId, string IfName)
{
    public const string ValidAttachmentsKey = "cni.dev/valid-attachments";

    /// <summary>The key libcni actually sent for a while (cni#1101): accepted when the spec's key is absent.</summary>
    public const string AttachmentsKey = "cni.dev/attachments";

    /// <summary>
    /// Reads [{"containerID": "...", "ifname": "..."}] from the GC config. A missing list is an error rather
    /// than "nothing is valid": treating it as empty would release every reservation of the network.
    /// </summary>
    public static IReadOnlyList<GcAttachment> Parse(JsonElement config)
    {
        JsonElement list;
        if (!(config.ValueKind == JsonValueKind.Object &&
              (config.TryGetProperty(ValidAttachmentsKey, out list) || config.TryGetProperty(AttachmentsKey, out list))))
            throw CniException.InvalidConfig($"GC: missing \"{ValidAttachmentsKey}\"");
        if (list.ValueKind != JsonValueKind.Array)
            throw CniException.InvalidConfig($"GC: \"{ValidAttachmentsKey}\" must be an array");

        var attachments = new List<GcAttachment>();
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object ||
                !item.TryGetProperty("containerID", out JsonElement id) || id.ValueKind != JsonValueKind.String ||
                !item.TryGetProperty("ifname", out JsonElement ifName) || ifName.ValueKind != JsonValueKind.String)
                throw CniException.InvalidConfig($"GC: invalid attachment {item.GetRawText()}: expected {{\"containerID\", \"ifname\"}}");
            attachments.Add(new GcAttachment(id.GetString()!, ifName.GetString()!));
        }
        return attachments;
    }
}
