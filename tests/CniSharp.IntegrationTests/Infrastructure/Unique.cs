namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>Names no other test (or run) uses: tests run in parallel and must not share bridges or stores.</summary>
public static class Unique
{
    private static int s_subnet = Random.Shared.Next(0, 200);

    public static string Hex(int length) => Guid.NewGuid().ToString("N")[..length];

    /// <summary>A bridge name: "cnt" + 8 hex digits (11 characters, within IFNAMSIZ).</summary>
    public static string BridgeName() => "cnt" + Hex(8);

    public static string ContainerId() => "it" + Guid.NewGuid().ToString("N");

    /// <summary>A distinct 10.231.N.0/24 for each call in this process, so bridges never share a subnet.</summary>
    public static int SubnetOctet() => Interlocked.Increment(ref s_subnet) % 250 + 1;

    public static string TempDir(string purpose)
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cnisharp-{purpose}-{Hex(8)}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
