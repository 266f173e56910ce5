using System.Text;
using System.Text.Json.Nodes;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>
/// Seeded mutations of a valid config: drop keys, change types, random strings, numbers and unicode, deep nesting,
/// huge numbers, broken CIDRs, copied subtrees, invalid UTF-8, truncation. Deterministic for a seed (System.Random
/// with a seed is stable across runtimes), so a failure replays from the printed seed.
/// The only keys it treats carefully are the ones naming where the plugin writes ("dataDir", "stateDir"): they are
/// never dropped and never become another string or null, either of which would send writes to the real host's
/// default directories. Everything else the plugin touches lives in the fuzz sandbox.
/// </summary>
internal sealed class ConfigMutator(int seed, string dataDir, string stateDir)
{
    private static readonly string[] WritePathKeys = ["dataDir", "stateDir"];

    /// <summary>Keys the plugin reads, to be added with hostile values. Not "log" (it writes a file) nor the write paths.</summary>
    private static readonly string[] KnownKeys =
    [
        "cniVersion", "cniVersions", "name", "type", "bridge", "isGateway", "isDefaultGateway", "forceAddress", "ipMasq", "mtu",
        "hairpinMode", "promiscMode", "vlan", "vlanTrunk", "preserveDefaultVlan", "enabledad", "macspoofchk",
        "disableContainerInterface", "portIsolation", "dns", "ipam", "runtimeConfig", "args", "prevResult", "capabilities",
        "ranges", "subnet", "rangeStart", "rangeEnd", "gateway", "routes", "resolvConf", "ips", "mac", "ipRanges", "cni",
        "nameservers", "domain", "search", "options", "dst", "gw", "address", "interface", "interfaces", "version",
    ];

    private static readonly string[] InterestingStrings =
    [
        "", " ", "\0", "\n", "../..", "/", ".", "..", "a/b", "/proc/self/ns/net", "null", "true", "0", "-1", "1.1.0", "0.1.0",
        "9.9.9", "cnisharp-host-local", "cnisharp-bridge", "cnisharp-loopback", "host-local", "eth0", "lo", "cnisharp0",
        "10.99.0.0/24", "10.99.0.0/33", "10.99.0.5/24", "10.99.0.1", "10.98.0.0/30", "10.99.0.0/31", "fd00:99::/64", "fd00::/129",
        "999.999.999.999", "0.0.0.0/0", "::/0", "::", "::ffff:10.99.0.5", "10.99.0.5%eth0", "1.2.3.4/24/5", "10.99.0.0/ 24",
        "02:42:ac:11:00:09", "ff:ff:ff:ff:ff:ff", "zz:zz", "IgnoreUnknown=1", "nét", "网络", "\U0001F4A5", "\uFFFD", "\uD800",
        "a\u200Bb", "%s%n", "${HOME}", "$(reboot)", "'; DROP TABLE pods; --",
    ];

    private static readonly string[] InterestingNumbers =
    [
        "0", "-0", "1", "-1", "67", "68", "1500", "65535", "65536", "4094", "4095", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "18446744073709551616", "123456789012345678901234567890", "1e308", "-1e308", "1e-320", "1.5",
        "0.1", "1E3", "6.02e23",
    ];

    private readonly Random _random = new(seed);

    /// <summary>One to three structural mutations, then sometimes a byte-level one; returns stdin.</summary>
    public byte[] Mutate(JsonObject config)
    {
        int count = 1 + _random.Next(3);
        for (int i = 0; i < count; i++)
            MutateOnce(config);
        Confine(config);
        string text = config.ToJsonString();
        int roll = _random.Next(100);
        if (roll < 4) return Encoding.UTF8.GetBytes(text[.._random.Next(text.Length)]);
        if (roll < 7) return InvalidUtf8(config);
        return Encoding.UTF8.GetBytes(text);
    }

    private void MutateOnce(JsonObject root)
    {
        List<Slot> slots = Slots(root);
        Slot slot = slots[_random.Next(slots.Count)];
        switch (_random.Next(9))
        {
            case 0 when !slot.IsWritePath && slot.Parent is JsonObject obj:
                obj.Remove(slot.Key!);
                break;
            case 1:
                slot.Set(slot.IsWritePath ? NonStringValue(depth: 0) : RandomValue(depth: 0));
                break;
            case 2 when !slot.IsWritePath:
                slot.Set(RandomString());
                break;
            case 3 when !slot.IsWritePath:
                slot.Set(JsonNode.Parse(Pick(InterestingNumbers)));
                break;
            case 4 when slot.Value is JsonObject target:
                string key = _random.Next(4) == 0 ? RandomString() : Pick(KnownKeys);
                target[key] = RandomValue(depth: 0);
                break;
            case 5:
                slot.Set(Nest(slot.Detach(), 20 + _random.Next(120)));
                break;
            case 6:
                // A copy of another subtree in this place (e.g. the ipam object inside runtimeConfig).
                Slot source = slots[_random.Next(slots.Count)];
                if (source.Value is not null && !slot.IsWritePath)
                    slot.Set(source.Value.DeepClone());
                break;
            case 7 when slot.Value is JsonArray array:
                array.Add(array.Count > 0 ? array[_random.Next(array.Count)]?.DeepClone() : RandomValue(depth: 0));
                break;
            default:
                if (!slot.IsWritePath && slot.Value is JsonValue)
                    slot.Set(RandomString());
                break;
        }
    }

    /// <summary>
    /// The safety net behind the write-path rule: whatever the mutations built (a copied object in place of "ipam"
    /// that later gained "type" and "subnet", say), the sections the plugin reads its write paths from name the
    /// sandbox's directories whenever the key would otherwise fall back to a default.
    /// </summary>
    private void Confine(JsonObject config)
    {
        if (config["stateDir"] is null) config["stateDir"] = stateDir;
        if (config["ipam"] is JsonObject ipam && ipam["dataDir"] is null) ipam["dataDir"] = dataDir;
    }

    /// <summary>An unreadable byte sequence in place of some string value, or after the object.</summary>
    private byte[] InvalidUtf8(JsonObject config)
    {
        const string Marker = "INVALIDUTF8MARKER";
        List<Slot> candidates = [.. Slots(config).Where(s => !s.IsWritePath && s.Value is JsonValue v && v.TryGetValue(out string? _))];
        if (candidates.Count == 0) return [.. Encoding.UTF8.GetBytes(config.ToJsonString()), 0xFF];
        candidates[_random.Next(candidates.Count)].Set(Marker);
        string text = config.ToJsonString();
        int at = text.IndexOf(Marker, StringComparison.Ordinal);
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. bad[_random.Next(bad.Length)], .. Encoding.UTF8.GetBytes(text[(at + Marker.Length)..])];
    }

    private JsonNode? RandomValue(int depth)
    {
        switch (_random.Next(depth > 2 ? 4 : 6))
        {
            case 0: return RandomString();
            case 1: return JsonNode.Parse(Pick(InterestingNumbers));
            case 2: return _random.Next(2) == 0;
            case 3: return null;
            case 4:
                var array = new JsonArray();
                for (int i = _random.Next(4); i > 0; i--) array.Add(RandomValue(depth + 1));
                return array;
            default:
                // Junk keys only: a random object must never become a complete IPAM section with the default dataDir.
                var obj = new JsonObject();
                for (int i = _random.Next(4); i > 0; i--) obj["k" + _random.Next(1000)] = RandomValue(depth + 1);
                return obj;
        }
    }

    /// <summary>For write-path keys: any type but string and null.</summary>
    private JsonNode NonStringValue(int depth) => _random.Next(4) switch
    {
        0 => JsonNode.Parse(Pick(InterestingNumbers))!,
        1 => _random.Next(2) == 0,
        2 => new JsonArray(),
        _ => new JsonObject { ["k"] = depth },
    };

    private string RandomString()
    {
        int roll = _random.Next(10);
        if (roll < 5) return Pick(InterestingStrings);
        if (roll == 9) return new string((char)('a' + _random.Next(26)), 1000 + _random.Next(200_000));
        const string Pool = "abcXYZ019-_./:; =\\\"'\t\r\u0001\u001f\u007f éü中文🙂\u202E";
        var text = new StringBuilder();
        for (int i = _random.Next(40); i > 0; i--) text.Append(Pool[_random.Next(Pool.Length)]);
        return text.ToString();
    }

    private JsonNode? Nest(JsonNode? value, int depth)
    {
        for (int i = 0; i < depth; i++)
            value = _random.Next(2) == 0 ? new JsonArray(value) : new JsonObject { ["n"] = value };
        return value;
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    /// <summary>Every value in the tree with the place it sits; the root itself is not a slot.</summary>
    private static List<Slot> Slots(JsonObject root)
    {
        var slots = new List<Slot>();
        void Walk(JsonNode node)
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, child) in obj.ToList())
                {
                    slots.Add(new Slot(obj, key, null));
                    if (child is not null) Walk(child);
                }
            }
            else if (node is JsonArray array)
            {
                for (int i = 0; i < array.Count; i++)
                {
                    slots.Add(new Slot(array, null, i));
                    if (array[i] is { } child) Walk(child);
                }
            }
        }
        Walk(root);
        return slots;
    }

    /// <summary>A place in the tree: a key of an object or an index of an array.</summary>
    private sealed record Slot(JsonNode Parent, string? Key, int? Index)
    {
        public bool IsWritePath => Key is not null && WritePathKeys.Contains(Key);

        public JsonNode? Value => Key is not null ? Parent[Key] : Parent[Index!.Value];

        public void Set(JsonNode? value)
        {
            if (Key is not null) Parent[Key] = value;
            else Parent[Index!.Value] = value;
        }

        /// <summary>The value, unhooked from its parent so it can be placed elsewhere.</summary>
        public JsonNode? Detach()
        {
            JsonNode? value = Value;
            Set(null);
            return value;
        }
    }
}
