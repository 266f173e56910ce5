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
        ValidateIpam(root);
        return new DecodedConfig(root, conf);
    }

    private static JsonElement ParseDocument(ReadOnlySpan<byte> stdin)
    {
        if (stdin.IsEmpty)
            throw new CniException(CniErrorCode.DecodingFailure, "failed to decode the network configuration: stdin is empty");
        // JSON is UTF-8 (RFC 8259). The reader does not check string contents, so a stray byte would surface later
        // as a misleading "wrong type" (code 7) for the key holding it, or not at all in a key nobody reads.
        if (!System.Text.Unicode.Utf8.IsValid(stdin))
            throw new CniException(CniErrorCode.DecodingFailure,
                $"failed to decode the network configuration: stdin is not valid UTF-8 (first bad byte at offset {FirstInvalidUtf8(stdin)})");
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

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> data)
    {
        System.Text.Unicode.Utf8.ToUtf16(data, new char[data.Length], out int read, out _, replaceInvalidSequences: false);
        return read;
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
        if (CniEnvironment.IdentifierProblem(name) is { } problem)
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"invalid network configuration: \"name\" \"{CniEnvironment.Abbreviate(name)}\" {problem}");
    }

    /// <summary>
    /// "ipam" is an object whose "type" is a string (SPEC "Well-known optional keys"). Anything else used to read
    /// as "no IPAM" and silently gave the pod an interface without addresses. JSON null counts as absent, as Go's
    /// decoder leaves the field empty; so does an object without "type" or with "type": "" (L2-only).
    /// </summary>
    private static void ValidateIpam(JsonElement root)
    {
        if (!root.TryGetProperty("ipam", out JsonElement ipam) || ipam.ValueKind == JsonValueKind.Null) return;
        if (ipam.ValueKind != JsonValueKind.Object)
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"invalid network configuration: \"ipam\" must be an object, got {Describe(ipam.ValueKind)}");
        if (ipam.TryGetProperty("type", out JsonElement type) && type.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"invalid network configuration: \"ipam.type\" must be a string, got {Describe(type.ValueKind)}");
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
