using System.Text.Json;
using System.Text.Json.Nodes;

namespace CniSharp.IntegrationTests.Infrastructure;

/// <summary>
/// One network for one test: a unique bridge, network name, subnet and IPAM data dir, as a cnisharp-bridge or a
/// cnisharp-ptp configuration.
/// Dispose removes the bridge and the data dir, whatever the test did.
/// </summary>
public sealed class TestNetwork : IDisposable
{
    public TestNetwork(bool dualStack = false, string cniVersion = "1.1.0")
    {
        Octet = Unique.SubnetOctet();
        Bridge = Unique.BridgeName();
        Name = "net-" + Unique.Hex(8);
        DataDir = Unique.TempDir("ipam");
        DualStack = dualStack;
        CniVersion = cniVersion;
    }

    public int Octet { get; }
    public string Bridge { get; }
    public string Name { get; }
    public string DataDir { get; }
    public bool DualStack { get; }
    public string CniVersion { get; set; }

    public string Subnet4 => $"10.231.{Octet}.0/24";
    public string Gateway4 => $"10.231.{Octet}.1";
    public string Subnet6 => $"fd00:231:{Octet:x}::/64";
    public string Gateway6 => $"fd00:231:{Octet:x}::1";

    /// <summary>The network's reservation directory (host-local layout: dataDir/name).</summary>
    public string StoreDir => Path.Combine(DataDir, Name);

    /// <summary>The bridge plugin's "stateDir" (attachment records), kept inside the test's data dir.</summary>
    public string StateDir => Path.Combine(DataDir, "state");

    /// <summary>Attachment records of this network: stateDir/name/attachments/&lt;containerId&gt;-&lt;ifname&gt;.json.</summary>
    public List<string> AttachmentRecords()
    {
        string dir = Path.Combine(StateDir, Name, "attachments");
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.json").Select(f => Path.GetFileName(f)).ToList()
            : [];
    }

    /// <summary>Reservation files (named like IPs) currently in the store.</summary>
    public List<string> Reservations() =>
        Directory.Exists(StoreDir)
            ? Directory.GetFiles(StoreDir).Select(f => Path.GetFileName(f)).Where(f => System.Net.IPAddress.TryParse(f, out _)).ToList()
            : [];

    /// <summary>The cnisharp-bridge config, with optional edits to the plugin object before it is serialised.</summary>
    public string Config(Action<JsonObject>? edit = null, string ipamType = "cnisharp-host-local")
    {
        var ranges = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = Subnet4 } } };
        if (DualStack)
            ranges.Add(new JsonArray { new JsonObject { ["subnet"] = Subnet6 } });
        var conf = new JsonObject
        {
            ["cniVersion"] = CniVersion,
            ["name"] = Name,
            ["type"] = "cnisharp-bridge",
            ["bridge"] = Bridge,
            ["isGateway"] = true,
            ["stateDir"] = StateDir,
            ["ipam"] = new JsonObject
            {
                ["type"] = ipamType,
                ["ranges"] = ranges,
                ["dataDir"] = DataDir,
            },
        };
        edit?.Invoke(conf);
        return conf.ToJsonString();
    }

    /// <summary>The same network served by cnisharp-ptp (no bridge: routed pods), edited like <see cref="Config"/>.</summary>
    public string PtpConfig(Action<JsonObject>? edit = null, string ipamType = "cnisharp-host-local") =>
        Config(conf =>
        {
            conf["type"] = "cnisharp-ptp";
            conf.Remove("bridge");
            conf.Remove("isGateway");
            edit?.Invoke(conf);
        }, ipamType);

    /// <summary>Adds the final ADD result as prevResult, as a runtime does for CHECK and DEL.</summary>
    public static string WithPrevResult(string config, JsonElement result)
    {
        JsonObject conf = JsonNode.Parse(config)!.AsObject();
        conf["prevResult"] = JsonNode.Parse(result.GetRawText());
        return conf.ToJsonString();
    }

    public void Dispose()
    {
        Shell.Run("ip", ["link", "del", Bridge]);
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
