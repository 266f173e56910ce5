using System.Text.Json.Nodes;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>
/// One hostile invocation and the answer the spec calls for: its error code and a substring of msg that tells the
/// operator what was wrong. By default it is an ADD of the sandbox's target pod with the sandbox's config;
/// <see cref="Edit"/>, <see cref="Stdin"/> and <see cref="EditEnv"/> make it hostile.
/// </summary>
internal sealed record HostileCase(string Name, int Code, string Message)
{
    public string Command { get; init; } = "ADD";

    /// <summary>Changes the config object before it is serialised (the sandbox is there for its paths).</summary>
    public Action<JsonObject, HostileSandbox>? Edit { get; init; }

    /// <summary>Replaces stdin entirely (malformed JSON and the like).</summary>
    public Func<HostileSandbox, byte[]>? Stdin { get; init; }

    /// <summary>Changes the CNI_* variables; a null value leaves the variable unset.</summary>
    public Action<HostileSandbox, Dictionary<string, string?>>? EditEnv { get; init; }

    public byte[] StdinFor(HostileSandbox sandbox) => Stdin?.Invoke(sandbox) ?? HostileSandbox.Bytes(sandbox.Config(c => Edit?.Invoke(c, sandbox)));

    public Dictionary<string, string?> EnvFor(HostileSandbox sandbox)
    {
        Dictionary<string, string?> env = sandbox.Env(Command);
        EditEnv?.Invoke(sandbox, env);
        return env;
    }

    public override string ToString() => Name;
}
