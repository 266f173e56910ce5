using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// A stand-in chained plugin in its own temp CNI_PATH directory: a shell script that answers ADD with a fixed
/// result (CNI_NETNS substituted for "@NETNS@") and succeeds on every other verb, so a test controls exactly
/// what prevResult the next plugin receives. Dispose removes the directory.
/// </summary>
internal sealed class FakePlugin : IDisposable
{
    public FakePlugin(string addResultJson)
    {
        Dir = Unique.TempDir("fakeplugin");
        Type = "fake-" + Unique.Hex(8);
        string script = "#!/bin/sh\n" +
            "cat >/dev/null\n" +
            "[ \"$CNI_COMMAND\" = ADD ] || exit 0\n" +
            "sed \"s|@NETNS@|$CNI_NETNS|g\" <<'RESULT'\n" + addResultJson + "\nRESULT\n";
        string path = Path.Combine(Dir, Type);
        File.WriteAllText(path, script);
        Shell.Run("chmod", ["0700", path]);
    }

    public string Dir { get; }

    public string Type { get; }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
