using System.Text;
using System.Text.Json.Nodes;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>
/// The table: every hostile input with the code the spec assigns (SPEC "Error": 1 version, 3 container gone,
/// 4 environment, 5 I/O, 6 decoding, 7 config; libcni's 8 for the plugin's own netns) and the words of msg that
/// name the culprit. Verified against the binary; where the binary was wrong, the plugin was fixed.
/// </summary>
internal static class HostileCases
{
    private const string Decode = "failed to decode the network configuration";
    private const string IdRule = "must start with a letter or digit";

    public static IReadOnlyList<HostileCase> All { get; } =
    [
        .. MalformedJson(),
        .. WrongTypes(),
        .. MissingKeys(),
        .. NetworkNames(),
        .. ContainerIds(),
        .. InterfaceNames(),
        .. Netns(),
        .. Versions(),
        .. Environment(),
        .. CniArgs(),
        .. Ipam(),
        .. DelAndCheck(),
    ];

    public static HostileCase Get(string name) =>
        All.SingleOrDefault(c => c.Name == name) ?? throw new ArgumentException($"no hostile case \"{name}\"");

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static Action<JsonObject, HostileSandbox> Set(string key, JsonNode? value) => (c, _) => c[key] = value;

    private static Action<JsonObject, HostileSandbox> SetIpam(string key, JsonNode? value) => (c, _) => c["ipam"]![key] = value;

    private static Action<JsonObject, HostileSandbox> Ranges(string json) => (c, _) => c["ipam"]!["ranges"] = JsonNode.Parse(json);

    private static Action<JsonObject, HostileSandbox> Subnet(string subnet) => Ranges($$"""[[{"subnet":"{{subnet}}"}]]""");

    private static Action<HostileSandbox, Dictionary<string, string?>> Env(string name, string? value) => (_, e) => e[name] = value;

    private static IEnumerable<HostileCase> MalformedJson()
    {
        yield return new("stdin empty", 6, "stdin is empty") { Stdin = _ => [] };
        yield return new("stdin whitespace only", 6, Decode) { Stdin = _ => Utf8(" \n\t ") };
        yield return new("truncated JSON", 6, Decode) { Stdin = s => Utf8(s.Config()[..^12]) };
        yield return new("YAML instead of JSON", 6, Decode) { Stdin = _ => Utf8("cniVersion: 1.1.0\nname: x\ntype: cnisharp-bridge\n") };
        yield return new("trailing garbage", 6, Decode) { Stdin = s => Utf8(s.Config() + " garbage") };
        yield return new("two JSON objects", 6, Decode) { Stdin = s => Utf8(s.Config() + s.Config()) };
        yield return new("trailing comma", 6, Decode) { Stdin = s => Utf8(s.Config()[..^1] + ",}") };
        yield return new("single-quoted strings", 6, Decode) { Stdin = s => Utf8(s.Config().Replace('"', '\'')) };
        yield return new("comment before the object", 6, Decode) { Stdin = s => Utf8("// a comment\n" + s.Config()) };
        yield return new("top-level array", 6, "expected a JSON object, got an array") { Stdin = s => Utf8("[" + s.Config() + "]") };
        yield return new("top-level string", 6, "expected a JSON object, got a string") { Stdin = _ => Utf8("\"cnisharp\"") };
        yield return new("top-level null", 6, "expected a JSON object, got null") { Stdin = _ => Utf8("null") };
        yield return new("byte-order mark", 6, Decode) { Stdin = s => [0xEF, 0xBB, 0xBF, .. Utf8(s.Config())] };
        yield return new("invalid UTF-8 in a value", 6, "not valid UTF-8") { Stdin = s => [.. Utf8(s.Config()[..^1] + ",\"x\":\"a"), 0xC3, 0x28, .. Utf8("\"}")] };
        yield return new("NUL byte between tokens", 6, Decode) { Stdin = s => Utf8(s.Config().Insert(1, "\0")) };
        yield return new("deep nesting", 6, "depth") { Stdin = s => Utf8(s.Config()[..^1] + ",\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}") };
    }

    private static IEnumerable<HostileCase> WrongTypes()
    {
        yield return new("cniVersion is a number", 7, "\"cniVersion\"") { Edit = Set("cniVersion", 1.1) };
        yield return new("name is a number", 7, "\"name\"") { Edit = Set("name", 5) };
        yield return new("name is null", 7, "\"name\" is missing") { Edit = Set("name", null) };
        yield return new("type is a boolean", 7, "\"type\"") { Edit = Set("type", true) };
        yield return new("type is an array", 7, "\"type\"") { Edit = Set("type", new JsonArray("cnisharp-bridge")) };
        yield return new("ipam is a string", 7, "\"ipam\" must be an object") { Edit = Set("ipam", "cnisharp-host-local") };
        yield return new("ipam is an array", 7, "\"ipam\" must be an object") { Edit = Set("ipam", new JsonArray()) };
        yield return new("ipam.type is a number", 7, "\"ipam.type\" must be a string") { Edit = SetIpam("type", 5) };
        yield return new("ipam.ranges is a string", 7, "ipam.ranges must be an array") { Edit = SetIpam("ranges", "10.99.0.0/24") };
        yield return new("ipam.ranges set is an object", 7, "ipam.ranges[0] must be an array") { Edit = Ranges("""[{"subnet":"10.99.0.0/24"}]""") };
        yield return new("ipam.ranges range is a string", 7, "ipam.ranges[0][0] must be an object") { Edit = Ranges("""[["10.99.0.0/24"]]""") };
        yield return new("subnet is a number", 7, "subnet must be a string") { Edit = Ranges("""[[{"subnet":24}]]""") };
        yield return new("dataDir is a number", 7, "dataDir must be a string") { Edit = SetIpam("dataDir", 5) };
        yield return new("routes is an object", 7, "ipam.routes must be an array") { Edit = SetIpam("routes", new JsonObject()) };
        yield return new("route dst is a number", 7, "ipam.routes[0]") { Edit = SetIpam("routes", JsonNode.Parse("""[{"dst":5}]""")) };
        yield return new("bridge is a number", 7, "bridge") { Edit = Set("bridge", 5) };
        yield return new("bridge name with a slash", 7, "invalid bridge name") { Edit = Set("bridge", "br/0") };
        yield return new("bridge name of 16 characters", 7, "invalid bridge name") { Edit = Set("bridge", "b123456789abcdef") };
        yield return new("bridge name with a format directive", 7, "invalid bridge name") { Edit = Set("bridge", "br%s%n") };
        yield return new("isGateway is a string", 7, "isGateway") { Edit = Set("isGateway", "yes") };
        yield return new("mtu is a string", 7, "mtu") { Edit = Set("mtu", "1500") };
        yield return new("mtu is huge", 7, "mtu") { Edit = Set("mtu", JsonNode.Parse("1e30")) };
        yield return new("mtu is a fraction", 7, "mtu") { Edit = Set("mtu", 1500.5) };
        yield return new("mtu too small", 7, "invalid mtu 10") { Edit = Set("mtu", 10) };
        yield return new("mtu negative", 7, "invalid mtu -1") { Edit = Set("mtu", -1) };
        yield return new("hairpinMode is a number", 7, "hairpinMode") { Edit = Set("hairpinMode", 1) };
        yield return new("vlan is a string", 7, "vlan") { Edit = Set("vlan", "100") };
        yield return new("dns is a string", 7, "\"dns\"") { Edit = Set("dns", "10.96.0.10") };
        yield return new("dns.nameservers is a string", 7, "\"dns.nameservers\"") { Edit = Set("dns", JsonNode.Parse("""{"nameservers":"10.96.0.10"}""")) };
        yield return new("runtimeConfig.ips is a string", 7, "runtimeConfig.ips") { Edit = Set("runtimeConfig", JsonNode.Parse("""{"ips":"10.99.0.9"}""")) };
        yield return new("runtimeConfig.ips holds garbage", 7, "runtimeConfig.ips") { Edit = Set("runtimeConfig", JsonNode.Parse("""{"ips":["banana"]}""")) };
        yield return new("args.cni.ips is a number", 7, "args.cni.ips") { Edit = Set("args", JsonNode.Parse("""{"cni":{"ips":5}}""")) };
        yield return new("log is a number", 7, "\"log\"") { Edit = Set("log", 5) };
    }

    private static IEnumerable<HostileCase> MissingKeys()
    {
        yield return new("name missing", 7, "\"name\" is missing") { Edit = (c, _) => c.Remove("name") };
        yield return new("name empty", 7, "\"name\" is missing") { Edit = Set("name", "") };
        yield return new("type missing", 7, "\"type\" is missing") { Edit = (c, _) => c.Remove("type") };
        yield return new("type empty", 7, "\"type\" is missing") { Edit = Set("type", "") };
        yield return new("type with a path", 7, "must not contain '/'") { Edit = Set("type", "../../bin/sh") };
        yield return new("ipam ranges missing", 7, "no IP ranges specified") { Edit = (c, _) => c["ipam"]!.AsObject().Remove("ranges") };
    }

    /// <summary>The name becomes &lt;dataDir&gt;/&lt;name&gt; and &lt;stateDir&gt;/&lt;name&gt;: none of these may get that far.</summary>
    private static IEnumerable<HostileCase> NetworkNames()
    {
        foreach (var (label, name) in new[]
        {
            ("parent dir", "../x"), ("dot-dot", ".."), ("dot", "."), ("slash", "a/b"), ("absolute", "/abs"),
            ("NUL", "a\0b"), ("newline", "a\nb"), ("trailing newline", "net\n"), ("leading dash", "-net"),
            ("space", "a b"), ("non-ASCII", "nét"),
        })
            yield return new($"network name {label}", 7, IdRule) { Edit = Set("name", name) };
        yield return new("network name of 201 characters", 7, "at most 200") { Edit = Set("name", new string('n', 201)) };
        yield return new("network name of 5000 characters", 7, "at most 200") { Edit = Set("name", new string('n', 5000)) };
    }

    /// <summary>
    /// The container id names reservation owners and state records. A NUL cannot be tested: execve's environment
    /// strings end at the first NUL, so no runtime can send one.
    /// </summary>
    private static IEnumerable<HostileCase> ContainerIds()
    {
        foreach (var (label, id) in new[]
        {
            ("parent dir", "../x"), ("dot-dot", ".."), ("hidden", ".hidden"), ("slash", "a/b"), ("absolute", "/abs"),
            ("newline", "a\nb"), ("space", "a b"), ("colon", "a:b"),
        })
            yield return new($"container id {label}", 4, "invalid CNI_CONTAINERID") { EditEnv = Env("CNI_CONTAINERID", id) };
        yield return new("container id of 201 characters", 4, "at most 200") { EditEnv = Env("CNI_CONTAINERID", new string('c', 201)) };
        yield return new("container id of 5000 characters", 4, "at most 200") { EditEnv = Env("CNI_CONTAINERID", new string('c', 5000)) };
        yield return new("container id empty", 4, "missing for ADD: CNI_CONTAINERID") { EditEnv = Env("CNI_CONTAINERID", "") };
    }

    private static IEnumerable<HostileCase> InterfaceNames()
    {
        yield return new("ifname empty", 4, "missing for ADD: CNI_IFNAME") { EditEnv = Env("CNI_IFNAME", "") };
        foreach (var (label, ifName, why) in new[]
        {
            ("dot", ".", "must not be"), ("dot-dot", "..", "must not be"), ("16 characters", "abcdefghijklmnop", "longer than 15"),
            ("5000 characters", new string('i', 5000), "longer than 15"), ("slash", "eth/0", "'/'"), ("colon", "eth:0", "':'"),
            ("space", "eth 0", "whitespace"), ("tab", "eth\t0", "whitespace"), ("newline", "eth0\n", "whitespace"),
            ("name template", "eth%d", "'%'"),
        })
            yield return new($"ifname {label}", 4, why) { EditEnv = Env("CNI_IFNAME", ifName) };
    }

    private static IEnumerable<HostileCase> Netns()
    {
        yield return new("netns missing", 4, "missing for ADD: CNI_NETNS") { EditEnv = Env("CNI_NETNS", null) };
        yield return new("netns does not exist", 3, "does not exist") { EditEnv = Env("CNI_NETNS", "/var/run/netns/cnisharp-none-" + Guid.NewGuid().ToString("N")[..8]) };
        yield return new("netns relative path", 3, "does not exist") { EditEnv = Env("CNI_NETNS", "no-such-netns") };
        yield return new("netns is a regular file", 4, "not a network namespace")
        {
            EditEnv = (s, e) =>
            {
                string file = Path.Combine(s.Root, "regular-file");
                File.WriteAllText(file, "not a namespace");
                e["CNI_NETNS"] = file;
            },
        };
        yield return new("netns is a directory", 4, "not a network namespace") { EditEnv = (s, e) => e["CNI_NETNS"] = s.Root };
        yield return new("netns is /dev/null", 4, "not a network namespace") { EditEnv = Env("CNI_NETNS", "/dev/null") };
        yield return new("netns is a UTS namespace", 4, "not a network namespace") { EditEnv = Env("CNI_NETNS", "/proc/self/ns/uts") };
        // The plugin's own namespace (here the fake host): libcni's ErrInvalidNetNS.
        yield return new("netns is the plugin's own", 8, "the plugin's own network namespace") { EditEnv = Env("CNI_NETNS", "/proc/self/ns/net") };
    }

    private static IEnumerable<HostileCase> Versions()
    {
        foreach (string version in new[] { "9.9.9", "1.2.0", "abc", "1.1", "1.1.0.0", " 1.1.0", "v1.1.0" })
            yield return new($"cniVersion \"{version}\"", 1, "incompatible CNI versions") { Edit = Set("cniVersion", version) };
        yield return new("CHECK with cniVersion 0.3.1", 1, "does not allow CHECK") { Command = "CHECK", Edit = Set("cniVersion", "0.3.1") };
    }

    private static IEnumerable<HostileCase> Environment()
    {
        yield return new("CNI_COMMAND unknown", 4, "unknown CNI_COMMAND \"FOO\"") { EditEnv = Env("CNI_COMMAND", "FOO") };
        yield return new("CNI_COMMAND lower case", 4, "unknown CNI_COMMAND \"add\"") { EditEnv = Env("CNI_COMMAND", "add") };
        yield return new("CNI_COMMAND padded", 4, "unknown CNI_COMMAND") { EditEnv = Env("CNI_COMMAND", " ADD") };
        yield return new("CNI_CONTAINERID unset for ADD", 4, "CNI_CONTAINERID") { EditEnv = Env("CNI_CONTAINERID", null) };
        yield return new("CNI_IFNAME unset for ADD", 4, "CNI_IFNAME") { EditEnv = Env("CNI_IFNAME", null) };
        yield return new("CNI_CONTAINERID unset for DEL", 4, "missing for DEL: CNI_CONTAINERID") { Command = "DEL", EditEnv = Env("CNI_CONTAINERID", null) };
        yield return new("CNI_IFNAME unset for DEL", 4, "missing for DEL: CNI_IFNAME") { Command = "DEL", EditEnv = Env("CNI_IFNAME", null) };
        yield return new("CNI_NETNS unset for CHECK", 4, "missing for CHECK: CNI_NETNS") { Command = "CHECK", EditEnv = Env("CNI_NETNS", null) };
        yield return new("CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME all unset", 4, "CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME")
        {
            EditEnv = (_, e) => { e["CNI_CONTAINERID"] = null; e["CNI_NETNS"] = null; e["CNI_IFNAME"] = null; },
        };
    }

    private static IEnumerable<HostileCase> CniArgs()
    {
        yield return new("CNI_ARGS without '='", 4, "CNI_ARGS: invalid pair \"garbage\"") { EditEnv = Env("CNI_ARGS", "garbage") };
        yield return new("CNI_ARGS empty key", 4, "CNI_ARGS: invalid pair \"=x\"") { EditEnv = Env("CNI_ARGS", "IgnoreUnknown=1;=x") };
        yield return new("CNI_ARGS IP not an address", 4, "invalid IP \"banana\"") { EditEnv = Env("CNI_ARGS", "IgnoreUnknown=1;IP=banana") };
        yield return new("CNI_ARGS MAC not a MAC", 4, "invalid MAC address \"zz\"") { EditEnv = Env("CNI_ARGS", "IgnoreUnknown=1;MAC=zz") };
        yield return new("CNI_ARGS IP outside every range", 7, "10.200.0.5") { EditEnv = Env("CNI_ARGS", "IgnoreUnknown=1;IP=10.200.0.5") };
        // As the reference host-local: a taken address is a plain error (999), not "try again" (11).
        yield return new("CNI_ARGS IP of the resident pod", 999, "is not available in range set")
        {
            EditEnv = (s, e) => e["CNI_ARGS"] = "IgnoreUnknown=1;IP=" + s.ResidentAddress.Split('/')[0],
        };
    }

    private static IEnumerable<HostileCase> Ipam()
    {
        foreach (string bad in new[] { "10.99.0.0/33", "banana", "10.99.0.0", "999.1.1.0/24", "fd00::/129", "10.99.0.0/-1", "10.99.0.0/24/8", "" })
            yield return new($"subnet \"{bad}\"", 7, "invalid CIDR address") { Edit = Subnet(bad) };
        yield return new("subnet with host bits", 7, "host bits set") { Edit = Subnet("10.99.0.5/24") };
        yield return new("subnet /32", 7, "too small to allocate from") { Edit = Subnet("10.99.0.0/32") };
        yield return new("subnet missing", 7, "missing \"subnet\"") { Edit = Ranges("""[[{"gateway":"10.99.0.1"}]]""") };
        yield return new("rangeStart outside the subnet", 7, "RangeStart 10.98.0.10 not in network") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24","rangeStart":"10.98.0.10"}]]""") };
        yield return new("rangeEnd outside the subnet", 7, "RangeEnd 10.98.0.10 not in network") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24","rangeEnd":"10.98.0.10"}]]""") };
        yield return new("rangeStart after rangeEnd", 7, "is before RangeStart") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24","rangeStart":"10.99.0.50","rangeEnd":"10.99.0.10"}]]""") };
        yield return new("rangeStart not an address", 7, "invalid IP address: x") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24","rangeStart":"x"}]]""") };
        yield return new("rangeStart of the other family", 7, "not in network") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24","rangeStart":"fd00::5"}]]""") };
        yield return new("gateway outside the subnet", 7, "Gateway 10.98.0.1 not in network") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24","gateway":"10.98.0.1"}]]""") };
        yield return new("overlapping ranges in a set", 7, "overlap") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24"},{"subnet":"10.99.0.128/25"}]]""") };
        yield return new("overlapping range sets", 7, "range set 0 overlaps with 1") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24"}],[{"subnet":"10.99.0.0/25"}]]""") };
        yield return new("mixed families in a set", 7, "mixed address families") { Edit = Ranges("""[[{"subnet":"10.99.0.0/24"},{"subnet":"fd00:99::/64"}]]""") };
        yield return new("ranges empty", 7, "no IP ranges specified") { Edit = Ranges("[]") };
        yield return new("range set empty", 7, "empty range set") { Edit = Ranges("[[]]") };
        yield return new("two IPv4 sets for cniVersion 0.2.0", 7, "does not support more than 1 address per family")
        {
            Edit = (c, s) => { c["cniVersion"] = "0.2.0"; Ranges("""[[{"subnet":"10.99.0.0/24"}],[{"subnet":"10.98.0.0/24"}]]""")(c, s); },
        };
        yield return new("ipam type not in CNI_PATH", 7, "failed to find plugin \"no-such-ipam\"") { Edit = SetIpam("type", "no-such-ipam") };
        yield return new("ipam type with a path", 7, "must be a file name without '/'") { Edit = SetIpam("type", "../../bin/sh") };
        yield return new("resolvConf does not exist", 7, "resolvConf") { Edit = SetIpam("resolvConf", "/nonexistent/resolv.conf") };
        yield return new("dataDir is a regular file", 5, "regular-file")
        {
            Edit = (c, s) => c["ipam"]!["dataDir"] = RegularFile(s),
        };
        yield return new("dataDir under a regular file", 5, "regular-file/sub")
        {
            Edit = (c, s) => c["ipam"]!["dataDir"] = Path.Combine(RegularFile(s), "sub"),
        };
        yield return new("stateDir under a regular file", 5, "state directory")
        {
            Edit = (c, s) => c["stateDir"] = Path.Combine(RegularFile(s), "state"),
        };
        // Read whole, /dev/zero once cost 8 GB of memory and 15 s before failing with 999.
        yield return new("resolvConf is /dev/zero", 7, "resolvConf") { Edit = SetIpam("resolvConf", "/dev/zero") };
        yield return new("ipam type is our bridge", 7, "not an IPAM plugin") { Edit = SetIpam("type", "cnisharp-bridge") };
        yield return new("ipam type is our loopback", 7, "not an IPAM plugin") { Edit = SetIpam("type", "cnisharp-loopback") };
    }

    private static IEnumerable<HostileCase> DelAndCheck()
    {
        yield return new("DEL with malformed JSON", 6, Decode) { Command = "DEL", Stdin = _ => Utf8("{\"name\":") };
        yield return new("DEL with a container id escaping", 4, "invalid CNI_CONTAINERID") { Command = "DEL", EditEnv = Env("CNI_CONTAINERID", "../x") };
        yield return new("DEL of the resident with ifname '..'", 4, "CNI_IFNAME")
        {
            Command = "DEL",
            EditEnv = (s, e) => { e["CNI_CONTAINERID"] = s.ResidentId; e["CNI_IFNAME"] = ".."; },
        };
        yield return new("DEL with a network name escaping", 7, IdRule) { Command = "DEL", Edit = Set("name", "../x") };
        yield return new("DEL into the plugin's own netns", 8, "the plugin's own network namespace") { Command = "DEL", EditEnv = Env("CNI_NETNS", "/proc/self/ns/net") };
        yield return new("CHECK with prevResult of the wrong type", 7, "prevResult") { Command = "CHECK", Edit = Set("prevResult", "x") };
    }

    private static string RegularFile(HostileSandbox s)
    {
        string file = Path.Combine(s.Root, "regular-file");
        File.WriteAllText(file, "not a directory");
        return file;
    }
}
