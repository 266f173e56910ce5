namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>A throwaway named network namespace (ip netns add), removed on Dispose.</summary>
public sealed class TestNamespace : IDisposable
{
    public TestNamespace(string purpose = "it")
    {
        Name = $"cnisharp-{purpose}-{Guid.NewGuid().ToString("N")[..8]}";
        Shell.Ip("netns", "add", Name);
        Shell.Ip("-n", Name, "link", "set", "lo", "up");
    }

    public string Name { get; }

    public string Path => $"/var/run/netns/{Name}";

    public void Dispose() => Shell.Run("ip", ["netns", "del", Name]);
}
