using System.Text;
using System.Text.Json;
using CniSharp.Agent.Cli;
using CniSharp.Files;
using CniSharp.Ip;

namespace CniSharp.Agent.Conflist;

/// <summary>
/// Writes <c>&lt;cni-conf-dir&gt;/10-cnisharp.conflist</c>: the runtime's cue that the node is ready for pods.
/// Written atomically (temp file + rename, see <see cref="SmallFile.Replace"/>) and only when its content
/// changes, so a runtime watching the directory sees one complete file, once.
/// </summary>
internal sealed class ConflistWriter(string confDir)
{
    public const string FileName = "10-cnisharp.conflist";
    public const string NetworkName = "cnisharp";

    public string Path { get; } = System.IO.Path.Combine(confDir, FileName);

    /// <summary>Writes the conflist when it differs from what is on disk. Returns true when it wrote.</summary>
    public bool Write(ConflistSettings settings)
    {
        byte[] content = Render(settings);
        string? current = SmallFile.TryRead(Path);
        if (current is not null && current == Encoding.UTF8.GetString(content)) return false;
        Directory.CreateDirectory(confDir);
        SmallFile.Replace(Path, content, 0b110_100_100);
        return true;
    }

    /// <summary>
    /// The pod subnets a previous run wrote (its IPAM ranges): a restarted agent asks for these first, so pods
    /// keep their addresses even if its lease expired meanwhile.
    /// </summary>
    public IReadOnlyList<IPPrefix> ReadSubnets()
    {
        string? text = SmallFile.TryRead(Path);
        if (text is null) return [];
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            var subnets = new List<IPPrefix>();
            foreach (JsonElement plugin in doc.RootElement.GetProperty("plugins").EnumerateArray())
            {
                if (!plugin.TryGetProperty("ipam", out JsonElement ipam) || !ipam.TryGetProperty("ranges", out JsonElement ranges)) continue;
                foreach (JsonElement set in ranges.EnumerateArray())
                foreach (JsonElement range in set.EnumerateArray())
                {
                    if (range.TryGetProperty("subnet", out JsonElement s) && IPPrefix.TryParse(s.GetString(), out IPPrefix p)) subnets.Add(p);
                }
            }
            return subnets;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return [];
        }
    }

    public static byte[] Render(ConflistSettings s)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("cniVersion", "1.1.0");
            w.WriteString("name", NetworkName);
            w.WriteStartArray("plugins");
            w.WriteStartObject();
            w.WriteString("type", s.Plugin == ConflistPlugin.Bridge ? "cnisharp-bridge" : "cnisharp-ptp");
            if (s.Plugin == ConflistPlugin.Bridge)
            {
                w.WriteString("bridge", "cnisharp0");
                w.WriteBoolean("isGateway", true);
            }
            // Masquerade is the agent's, once per node (pod-to-pod across nodes must keep the pod's address).
            w.WriteBoolean("ipMasq", false);
            w.WriteNumber("mtu", s.Mtu);
            w.WriteString("stateDir", System.IO.Path.Combine(s.DataDir, "cnisharp"));
            // The plugin's STATUS reports "not ready" (50) when this file is missing or stale.
            w.WriteString("readinessFile", s.ReadinessFile);
            w.WriteStartObject("ipam");
            w.WriteString("type", "cnisharp-host-local");
            w.WriteString("dataDir", System.IO.Path.Combine(s.DataDir, "networks"));
            w.WriteStartArray("ranges");
            foreach (IPPrefix subnet in s.Subnets)
            {
                w.WriteStartArray();
                w.WriteStartObject();
                w.WriteString("subnet", subnet.ToString());
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("routes");
            foreach (IPPrefix subnet in s.Subnets)
            {
                w.WriteStartObject();
                w.WriteString("dst", subnet.IsIPv4 ? "0.0.0.0/0" : "::/0");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
