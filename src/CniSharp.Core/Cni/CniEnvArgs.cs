namespace CniSharp.Cni;

/// <summary>
/// CNI_ARGS ("IgnoreUnknown=1;K8S_POD_NAME=web;IP=10.1.2.3"). Keys match case-sensitively, as the reference's
/// field names do. Unknown keys are ignored: strictness broke chains and Kubernetes (cni#126, cni#560), and
/// every real runtime sends IgnoreUnknown=1 anyway. A pair without '=' is still an error (code 4).
/// </summary>
internal sealed class CniEnvArgs
{
    public static readonly CniEnvArgs Empty = new(new Dictionary<string, string>(StringComparer.Ordinal));

    private readonly Dictionary<string, string> _values;

    private CniEnvArgs(Dictionary<string, string> values) => _values = values;

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>IgnoreUnknown is truthy for "1" and "true" in any case, as libcni's UnmarshallableBool.</summary>
    public bool IgnoreUnknown =>
        _values.TryGetValue("IgnoreUnknown", out string? v) && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    public string? Get(string key) => _values.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    public static CniEnvArgs Parse(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return Empty;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in raw.Split(';'))
        {
            if (pair.Length == 0) continue; // a trailing ';' is harmless
            int eq = pair.IndexOf('=');
            if (eq <= 0)
                throw new CniException(CniErrorCode.InvalidEnvironmentVariables,
                    $"CNI_ARGS: invalid pair \"{pair}\": expected KEY=VALUE separated by ';'");
            values[pair[..eq]] = pair[(eq + 1)..];
        }
        return new CniEnvArgs(values);
    }
}
