
namespace CniSharp.Cni;

/// <summary>
/// Reads the CNI_* environment into <see cref="CniArgs"/>. One row per variable says which verbs need it and
/// how its value is checked, as skel's getCmdArgsFromEnv does. Unknown variables are ignored: libcni passes the
/// runtime's whole environment through (SPEC "Parameters", libcni pkg/invoke/args.go).
/// </summary>
internal static partial class CniEnvironment
{
    public const string CommandVar = "CNI_COMMAND";
    public const string ContainerIdVar = "CNI_CONTAINERID";
    public const string NetNsVar = "CNI_NETNS";
    public const string IfNameVar = "CNI_IFNAME";
    public const string ArgsVar = "CNI_ARGS";
    public const string PathVar = "CNI_PATH";

    /// <summary>The kernel's IFNAMSIZ is 16 including the NUL terminator.</summary>
    public const int MaxIfNameLength = 15;

    private static readonly CniCommand[] ContainerVerbs = [CniCommand.Add, CniCommand.Del, CniCommand.Check];

    /// <summary>
    /// The table. CNI_NETNS is optional on DEL (and may be ""): the runtime may have lost the netns, and DEL must
    /// still release IPAM (SPEC "DEL"). CNI_PATH is only needed to exec a delegate, so it is never required here
    /// (skel is stricter; the spec is not).
    /// </summary>
    private static readonly EnvVar[] Table =
    [
        new(ContainerIdVar, ContainerVerbs, ValidateContainerId),
        new(NetNsVar, [CniCommand.Add, CniCommand.Check], null),
        new(IfNameVar, ContainerVerbs, ValidateIfName),
        new(ArgsVar, [], null),
        new(PathVar, [], null),
    ];

    /// <summary>The verbs as CNI_COMMAND spells them.</summary>
    public static IReadOnlyList<string> Verbs { get; } = ["ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION"];

    /// <summary>Parses CNI_COMMAND; anything but the six verbs (case-sensitive, as skel) is code 4.</summary>
    public static CniCommand ParseCommand(string? value) => value switch
    {
        "ADD" => CniCommand.Add,
        "DEL" => CniCommand.Del,
        "CHECK" => CniCommand.Check,
        "GC" => CniCommand.Gc,
        "STATUS" => CniCommand.Status,
        "VERSION" => CniCommand.Version,
        null or "" => throw new CniException(CniErrorCode.InvalidEnvironmentVariables,
            $"required environment variable {CommandVar} is missing; expected one of {string.Join(", ", Verbs)}"),
        _ => throw new CniException(CniErrorCode.InvalidEnvironmentVariables,
            $"unknown {CommandVar} \"{value}\": expected one of {string.Join(", ", Verbs)}"),
    };

    public static string Name(this CniCommand command) => Verbs[(int)command];

    /// <summary>Builds the invocation; throws code 4 naming every missing variable, or the first invalid one.</summary>
    public static CniArgs Read(Func<string, string?> getenv, byte[] stdinData)
    {
        CniCommand command = ParseCommand(getenv(CommandVar));
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (EnvVar row in Table)
        {
            string? value = getenv(row.Name);
            bool required = Array.IndexOf(row.RequiredFor, command) >= 0;
            // skel treats an empty value as unset.
            if (string.IsNullOrEmpty(value))
            {
                if (required) (missing ??= []).Add(row.Name);
                continue;
            }
            values[row.Name] = value;
        }
        if (missing is not null)
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables,
                $"required environment variables missing for {command.Name()}: {string.Join(", ", missing)}");

        foreach (EnvVar row in Table)
            if (row.Validate is not null && Array.IndexOf(row.RequiredFor, command) >= 0 && values.TryGetValue(row.Name, out string? value))
                row.Validate(value);

        bool container = Array.IndexOf(ContainerVerbs, command) >= 0;
        return new CniArgs
        {
            Command = command,
            // Container identity means nothing to GC and STATUS; they get no container id, netns or ifname.
            ContainerId = container ? values.GetValueOrDefault(ContainerIdVar, "") : "",
            NetNs = container ? values.GetValueOrDefault(NetNsVar) : null,
            IfName = container ? values.GetValueOrDefault(IfNameVar, "") : "",
            Args = values.GetValueOrDefault(ArgsVar),
            Path = SplitPath(values.GetValueOrDefault(PathVar)),
            StdinData = stdinData,
        };
    }

    /// <summary>CNI_PATH is ':'-separated on Linux; empty entries ("a::b", a trailing ':') mean nothing.</summary>
    public static IReadOnlyList<string> SplitPath(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(':', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The longest container id or network name accepted. The spec sets no limit, but both become file names
    /// (the network's IPAM and state directories; "&lt;id&gt;-&lt;ifname&gt;.json" records and their temp files), and
    /// a file name has at most 255 bytes: without a limit an over-long id fails with ENAMETOOLONG halfway
    /// through an ADD. Runtimes send 64 hex digits.
    /// </summary>
    public const int MaxIdentifierLength = 200;

    /// <summary>The container id and the network name share one rule (SPEC; skel and pkg/utils ValidateContainerID).</summary>
    public static bool IsValidIdentifier(string value) => IdentifierProblem(value) is null;

    /// <summary>
    /// Why the value breaks the identifier rule (^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$, at most <see cref="MaxIdentifierLength"/>
    /// characters), or null when it does not. Hand-written rather than a Regex: the regex engine would double the
    /// binary and slow every start.
    /// </summary>
    public static string? IdentifierProblem(string value)
    {
        if (value.Length > MaxIdentifierLength)
            return $"is {value.Length} characters long; at most {MaxIdentifierLength} are allowed (it becomes a file name)";
        if (value.Length == 0 || !char.IsAsciiLetterOrDigit(value[0]))
            return "must start with a letter or digit and contain only letters, digits, '_', '.' and '-'";
        foreach (char c in value)
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '.' && c != '-')
                return "must start with a letter or digit and contain only letters, digits, '_', '.' and '-'";
        return null;
    }

    private static void ValidateContainerId(string value)
    {
        if (IdentifierProblem(value) is { } problem)
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"invalid {ContainerIdVar} \"{Abbreviate(value)}\": {problem}");
    }

    /// <summary>Error messages quote what was sent, but not kilobytes of it.</summary>
    public static string Abbreviate(string value, int max = 64) => value.Length <= max ? value : value[..max] + "…";

    /// <summary>What the kernel's dev_valid_name accepts (skel's ValidateInterfaceName mirrors it), minus '%'.</summary>
    public static string? IfNameProblem(string value)
    {
        if (value.Length == 0) return "is empty";
        if (value.Length > MaxIfNameLength) return $"is longer than {MaxIfNameLength} characters";
        if (value is "." or "..") return "must not be \".\" or \"..\"";
        foreach (char c in value)
        {
            if (c == '/') return "must not contain '/'";
            if (c == ':') return "must not contain ':'";
            // The kernel reads '%' as a name template ("eth%d" becomes eth0, eth1, ...; "%s" is refused with EINVAL),
            // so the link would not get the name asked for.
            if (c == '%') return "must not contain '%' (the kernel treats it as a name template)";
            if (char.IsWhiteSpace(c)) return "must not contain whitespace";
            if (c == '\0') return "must not contain NUL";
        }
        return null;
    }

    private static void ValidateIfName(string value)
    {
        if (IfNameProblem(value) is { } problem)
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"invalid {IfNameVar} \"{Abbreviate(value)}\": {problem}");
    }

    private sealed record EnvVar(string Name, CniCommand[] RequiredFor, Action<string>? Validate);
}
