using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>One sandbox (fake host, resident pod) for the whole table: every case must leave it exactly as it was.</summary>
public sealed class SharedHostileSandbox : IDisposable
{
    private readonly Lazy<HostileSandbox> _sandbox = new(() => new HostileSandbox());

    internal HostileSandbox Sandbox => _sandbox.Value;

    public void Dispose()
    {
        if (_sandbox.IsValueCreated) _sandbox.Value.Dispose();
    }
}

/// <summary>
/// The table of <see cref="HostileCases"/> against the built binary: each case fails with its code and a msg that
/// names the culprit, prints only the error JSON, and changes nothing: links, addresses and routes of the fake
/// host and of both pods' namespaces, and every file under the data, state and working directories.
/// </summary>
public class HostileInputTests(SharedHostileSandbox shared) : IClassFixture<SharedHostileSandbox>
{
    public static TheoryData<string> Cases() => [.. HostileCases.All.Select(c => c.Name)];

    [RootTheory]
    [MemberData(nameof(Cases))]
    public void HostileInput_FailsWithItsCode_AndChangesNothing(string name) => Verify(HostileCases.Get(name));

    private void Verify(HostileCase hostile)
    {
        CniPluginRunner.RequireBinary();
        HostileSandbox sandbox = shared.Sandbox;
        byte[] stdin = hostile.StdinFor(sandbox);
        Dictionary<string, string?> env = hostile.EnvFor(sandbox);
        SandboxSnapshot before = sandbox.Snapshot();

        PluginRun run = sandbox.Run(stdin, env);

        SandboxSnapshot after = sandbox.Snapshot();
        CniErrorAssert.IsError(run, hostile.Code, hostile.Message);
        string changed = after.DifferenceFrom(before);
        Assert.True(changed == "", $"case \"{hostile.Name}\" changed the sandbox:\n{changed}\n{run}");
    }
}
