using System.Text.Json;

namespace CniSharp.Cni;

/// <summary>
/// Turns stdin into a <see cref="DecodedConfig"/> and applies the checks skel makes before calling a verb:
/// JSON syntax (code 6), common keys (code 7), the network name (code 7) and the version (code 1).
/// </summary>
internal static class NetConfDecoder
{
    public static DecodedConfig Decode(CniCommand command, ReadOnlySpan<byte> stdin)
    {
        JsonElement root = ParseDocument(stdin);
        NetConf conf = Deserialize(root);
        ValidateType(conf.Type);
        ValidateName(conf.Name);
        ValidateVersion(command, conf.EffectiveVersion);
        return new DecodedConfig(root, conf);
    }

    private static JsonElement ParseDocument(ReadOnlySpan<byte> stdin)
    {
        if (stdin.IsEmpty)
            throw new CniException(CniErrorCode.DecodingFailure, "failed to decode the network configuration: stdin is empty");
        try
        {
            var reader = new Utf8JsonReader(stdin, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            // ParseValue copies what it needs, so the element outlives the stdin span.
            JsonElement root = JsonElement.ParseValue(ref reader);
            if (reader.Read())
                throw new CniException(CniErrorCode.DecodingFailure,
                    $"failed to decode the network configuration: unexpected data after the JSON value at byte {reader.TokenStartIndex}");
            if (root.ValueKind != JsonValueKind.Object)
                throw new CniException(CniErrorCode.DecodingFailure,
                    $"failed to decode the network configuration: expected a JSON object, got {Describe(root.ValueKind)}");
            return root;
        }
        catch (JsonException ex)
        {
            // The message carries "LineNumber: n | BytePositionInLine: m", which is where it broke.
            throw new CniException(CniErrorCode.DecodingFailure, $"failed to decode the network configuration: {ex.Message}", inner: ex);
        }
    }

    private static NetConf Deserialize(JsonElement root)
    {
        try
        {
            return root.Deserialize(CniJsonContext.Default.NetConf)
                ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "invalid network configuration: null");
        }
        catch (JsonException ex)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"invalid network configuration: key \"{KeyOf(ex.Path)}\" has the wrong type", ex.Message, ex);
        }
    }

    /// <summary>"$.dns.nameservers[0]" → "dns.nameservers[0]".</summary>
    public static string KeyOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) ? "(root)" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    /// <summary>"type" names a binary in CNI_PATH, so it is required and must not contain a path separator (SPEC).</summary>
    private static void ValidateType(string? type)
    {
        if (string.IsNullOrEmpty(type))
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "invalid network configuration: \"type\" is missing or empty");
        if (type.IndexOfAny(['/', '\\']) >= 0)
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"invalid network configuration: \"type\" \"{type}\" must not contain '/' or '\\'");
    }

    /// <summary>
    /// The name follows the container-id rule (SPEC; skel's ValidateNetworkName). It also becomes a directory name
    /// (IPAM state) and part of chain names, so the rule keeps it from escaping those.
    /// </summary>
    private static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "invalid network configuration: \"name\" is missing or empty");
        if (!CniEnvironment.IsValidIdentifier(name))
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"invalid network configuration: \"name\" \"{name}\" must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
    }

    /// <summary>Absent means 0.1.0 (libcni); CHECK arrived in 0.4.0 and GC/STATUS in 1.1.0, so older configs cannot ask for them.</summary>
    public static void ValidateVersion(CniCommand command, string version)
    {
        if (!CniVersions.IsSupported(version))
            throw new CniException(CniErrorCode.IncompatibleVersion,
                $"incompatible CNI versions: config is \"{version}\", plugin supports [{string.Join(", ", CniVersions.Supported)}]");
        string? minimum = command switch
        {
            CniCommand.Check => "0.4.0",
            CniCommand.Gc or CniCommand.Status => "1.1.0",
            _ => null,
        };
        if (minimum is not null && !CniVersions.AtLeast(version, minimum))
            throw new CniException(CniErrorCode.IncompatibleVersion,
                $"config version \"{version}\" does not allow {command.Name()}: it needs cniVersion {minimum} or later");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
