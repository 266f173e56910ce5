using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.IntegrationTests.Ipam;

/// <summary>
/// CniSharp's host-local and the reference Go plugin take turns on one network directory: they must honour
/// each other's reservations, lock and round-robin marker, and each must release what the other reserved.
/// </summary>
public sealed class ReferenceHostLocalCompatTests : IDisposable
{
    private const string Network = "compat";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("cnisharp-compat-").FullName;
    private readonly HostLocalIpam _ours = new();

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private string NetDir => Path.Join(_dataDir, Network);

    private string Config(string v4Subnet, string v6Subnet) => $$$"""
        {"cniVersion":"1.0.0","name":"{{{Network}}}","type":"bridge",
         "ipam":{"type":"host-local","dataDir":{{{JsonSerializer.Serialize(_dataDir)}}},
                 "ranges":[[{"subnet":"{{{v4Subnet}}}"}],[{"subnet":"{{{v6Subnet}}}"}]]}}
        """;

    private static IpamRequest OurRequest(string config, CniCommand command, string containerId, string ifName = "eth0")
    {
        JsonElement root = JsonDocument.Parse(config).RootElement.Clone();
        var conf = new NetConf
        {
            CniVersion = root.GetProperty("cniVersion").GetString(),
            Name = root.GetProperty("name").GetString(),
            Type = root.GetProperty("type").GetString(),
            Ipam = root.GetProperty("ipam"),
        };
        return new IpamRequest(new CniArgs { Command = command, ContainerId = containerId, IfName = ifName }, conf);
    }

    private string[] OurAdd(string config, string containerId) =>
        _ours.Add(OurRequest(config, CniCommand.Add, containerId)).Ips.Select(ip => ip.Address.Address.ToString()).ToArray();

    private static string[] RefAdd(string config, string containerId)
    {
        var outcome = ReferenceHostLocal.Run("ADD", containerId, "eth0", config);
        Assert.True(outcome.ExitCode == 0, $"reference ADD failed: {outcome.Stdout} {outcome.Stderr}");
        return outcome.Addresses;
    }

    private string OwnerOf(string address) => File.ReadAllText(Path.Join(NetDir, address));

    [ReferenceHostLocalFact]
    public void Alternating_RoundRobinContinuesAndNothingIsDuplicated()
    {
        string config = Config("10.77.0.0/29", "fd77::/125"); // v4 .2–.6 and v6 ::2–::7 (gateway .1 / ::1)

        Assert.Equal(["10.77.0.2", "fd77::2"], RefAdd(config, "ref1"));
        Assert.Equal(["10.77.0.3", "fd77::3"], OurAdd(config, "cs1"));
        Assert.Equal(["10.77.0.4", "fd77::4"], RefAdd(config, "ref2"));
        Assert.Equal(["10.77.0.5", "fd77::5"], OurAdd(config, "cs2"));
        Assert.Equal("cs1\r\neth0", OwnerOf("10.77.0.3"));
        Assert.Equal("ref2\r\neth0", OwnerOf("fd77::4"));

        // Each side releases what the other reserved.
        Assert.Equal(0, ReferenceHostLocal.Run("DEL", "cs1", "eth0", config).ExitCode);
        _ours.Del(OurRequest(config, CniCommand.Del, "ref1"));
        Assert.False(File.Exists(Path.Join(NetDir, "10.77.0.3")));
        Assert.False(File.Exists(Path.Join(NetDir, "fd77::3")));
        Assert.False(File.Exists(Path.Join(NetDir, "10.77.0.2")));

        // Round-robin goes on past the marker the other wrote, then wraps to the freed addresses.
        Assert.Equal(["10.77.0.6", "fd77::6"], OurAdd(config, "cs3"));
        Assert.Equal(["10.77.0.2", "fd77::7"], RefAdd(config, "ref3"));
        Assert.Equal(["10.77.0.3", "fd77::2"], OurAdd(config, "cs4"));

        // v4 is now full (.2–.6 taken): both sides say so.
        var exhausted = ReferenceHostLocal.Run("ADD", "ref4", "eth0", config);
        Assert.NotEqual(0, exhausted.ExitCode);
        Assert.Contains("no IP addresses available in range set: 10.77.0.1-10.77.0.6", exhausted.Stdout);
        var ours = Assert.Throws<CniException>(() => OurAdd(config, "cs5"));
        Assert.Equal(CniErrorCode.TryAgainLater, ours.Code);
        Assert.Contains("no IP addresses available in range set: 10.77.0.1-10.77.0.6", ours.Message);
    }

    [ReferenceHostLocalFact]
    public void ReferenceChecksAndDeletesOurReservations_AndWeCheckTheirs()
    {
        string config = Config("10.78.0.0/24", "fd78::/64");
        OurAdd(config, "cs1");
        RefAdd(config, "ref1");

        Assert.Equal(0, ReferenceHostLocal.Run("CHECK", "cs1", "eth0", config).ExitCode);
        _ours.Check(OurRequest(config, CniCommand.Check, "ref1"));

        Assert.Equal(0, ReferenceHostLocal.Run("DEL", "cs1", "eth0", config).ExitCode);
        Assert.NotEqual(0, ReferenceHostLocal.Run("CHECK", "cs1", "eth0", config).ExitCode);
        Assert.Throws<CniException>(() => _ours.Check(OurRequest(config, CniCommand.Check, "cs1")));

        _ours.Del(OurRequest(config, CniCommand.Del, "ref1"));
        Assert.NotEqual(0, ReferenceHostLocal.Run("CHECK", "ref1", "eth0", config).ExitCode);
        Assert.DoesNotContain(Directory.GetFiles(NetDir).Select(Path.GetFileName),
            name => name != "lock" && !name!.StartsWith("last_reserved_ip.", StringComparison.Ordinal));
    }

    [ReferenceHostLocalFact]
    public void ReferenceDuplicateCheck_SeesOurReservation()
    {
        string config = Config("10.79.0.0/24", "fd79::/64");
        OurAdd(config, "same");
        var outcome = ReferenceHostLocal.Run("ADD", "same", "eth0", config);
        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("duplicate allocation is not allowed", outcome.Stdout);
    }

    [ReferenceHostLocalFact]
    public void Concurrent_BothSidesShareTheLockWithoutDuplicates()
    {
        string config = Config("10.80.0.0/24", "fd80::/64");
        const int each = 8;
        var addresses = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = new List<Thread>();
        for (int i = 0; i < each; i++)
        {
            int n = i;
            workers.Add(new Thread(() => Collect(() => RefAdd(config, $"ref{n}"))));
            workers.Add(new Thread(() => Collect(() => OurAdd(config, $"cs{n}"))));
        }
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.Empty(failures);
        Assert.Equal(4 * each, addresses.Count);
        Assert.Equal(addresses.Count, addresses.Distinct().Count());

        void Collect(Func<string[]> add)
        {
            try { foreach (string a in add()) addresses.Add(a); }
            catch (Exception ex) { failures.Add(ex.Message); }
        }
    }
}
