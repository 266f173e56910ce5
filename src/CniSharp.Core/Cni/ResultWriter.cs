using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;

namespace CniSharp.Cni;

/// <summary>
/// Writes a <see cref="CniResult"/> in the shape of a requested spec version. Plugins work in the newest shape
/// and convert at print time, as Go's types.PrintResult does. Keys come in the order cniVersion, interfaces, ips,
/// routes, dns; optional fields are omitted when unset, and "dns" when empty (libcni's MarshalJSON drops it).
/// </summary>
internal static class ResultWriter
{
    public static byte[] Write(CniResult result, string version)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, result, version);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, CniResult result, string version)
    {
        ResultShape shape = ResultShapes.For(version);
        using var w = new Utf8JsonWriter(output, CniJson.WriterOptions);
        w.WriteStartObject();
        w.WriteString("cniVersion", version);
        if (shape == ResultShape.V020)
            WriteLegacy(w, result, version);
        else
            WriteCurrent(w, result, shape);
        WriteDns(w, result.Dns);
        w.WriteEndObject();
    }

    private static void WriteCurrent(Utf8JsonWriter w, CniResult result, ResultShape shape)
    {
        bool v11 = shape == ResultShape.V110;
        if (result.Interfaces.Count > 0)
        {
            w.WriteStartArray("interfaces");
            foreach (CniInterface i in result.Interfaces)
            {
                w.WriteStartObject();
                w.WriteString("name", i.Name);
                WriteIfSet(w, "mac", i.Mac);
                if (v11) WriteIfSet(w, "mtu", i.Mtu);
                WriteIfSet(w, "sandbox", i.Sandbox);
                if (v11)
                {
                    WriteIfSet(w, "socketPath", i.SocketPath);
                    WriteIfSet(w, "pciID", i.PciId);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (result.Ips.Count > 0)
        {
            w.WriteStartArray("ips");
            foreach (CniIPConfig ip in result.Ips)
            {
                w.WriteStartObject();
                // 0.3.x/0.4.0 tag every address with its family; 1.0.0 dropped the field.
                if (shape == ResultShape.V040)
                    w.WriteString("version", ip.Address.IsIPv4 ? "4" : "6");
                w.WriteString("address", ip.Address.ToString());
                WriteIfSet(w, "gateway", ip.Gateway?.ToString());
                WriteIfSet(w, "interface", ip.Interface);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (result.Routes.Count > 0)
        {
            w.WriteStartArray("routes");
            foreach (CniRoute route in result.Routes)
                WriteRoute(w, route, v11);
            w.WriteEndArray();
        }
    }

    private static void WriteRoute(Utf8JsonWriter w, CniRoute route, bool v11)
    {
        w.WriteStartObject();
        w.WriteString("dst", route.Dst.ToString());
        WriteIfSet(w, "gw", route.Gw?.ToString());
        if (v11)
        {
            WriteIfSet(w, "mtu", route.Mtu);
            WriteIfSet(w, "advmss", route.AdvMss);
            WriteIfSet(w, "priority", route.Priority);
            WriteIfSet(w, "table", route.Table);
            WriteIfSet(w, "scope", route.Scope);
        }
        w.WriteEndObject();
    }

    /// <summary>0.1.0/0.2.0: one "ip4" and one "ip6" object, each with its own routes; no interfaces.</summary>
    private static void WriteLegacy(Utf8JsonWriter w, CniResult result, string version)
    {
        WriteLegacyFamily(w, "ip4", AddressFamily.InterNetwork, result, version);
        WriteLegacyFamily(w, "ip6", AddressFamily.InterNetworkV6, result, version);
    }

    private static void WriteLegacyFamily(Utf8JsonWriter w, string key, AddressFamily family, CniResult result, string version)
    {
        CniIPConfig? ip = null;
        foreach (CniIPConfig candidate in result.Ips)
        {
            if (candidate.Address.Family != family) continue;
            if (ip is not null)
                throw new CniException(CniErrorCode.IncompatibleVersion,
                    $"cannot convert result to CNI version {version}: it cannot express more than one {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
            ip = candidate;
        }
        if (ip is null) return;
        w.WriteStartObject(key);
        w.WriteString("ip", ip.Address.ToString());
        WriteIfSet(w, "gateway", ip.Gateway?.ToString());
        bool any = false;
        foreach (CniRoute route in result.Routes)
        {
            if (route.Dst.Family != family) continue;
            if (!any) w.WriteStartArray("routes");
            any = true;
            WriteRoute(w, route, v11: false);
        }
        if (any) w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteDns(Utf8JsonWriter w, CniDns? dns)
    {
        if (dns is null || dns.IsEmpty) return;
        w.WriteStartObject("dns");
        WriteIfSet(w, "nameservers", dns.Nameservers);
        WriteIfSet(w, "domain", dns.Domain);
        WriteIfSet(w, "search", dns.Search);
        WriteIfSet(w, "options", dns.Options);
        w.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteString(name, value);
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, List<string>? values)
    {
        if (values is null || values.Count == 0) return;
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
