using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Ip;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Plugins.Portmap;

/// <summary>
/// runtimeConfig.portMappings ({hostPort, containerPort, protocol, hostIP}, capability "portMappings") turned
/// into one <see cref="HostPortMapping"/> per pod address family it applies to. Key names match as Go's
/// encoding/json matches them, exactly or else ignoring case: containerd 1.6 (go-cni's PortMapping has no JSON
/// tags) sends {"HostPort":..,"ContainerPort":..,"Protocol":"tcp","HostIP":""}, which the reference accepts.
/// </summary>
internal static class PortMappings
{
    /// <summary>The pod's addresses (with prefix) from prevResult: those on an interface in a sandbox.</summary>
    public static List<IPPrefix> PodAddresses(CniResult result)
    {
        var addresses = new List<IPPrefix>();
        foreach (CniIPConfig ip in result.Ips)
        {
            bool inSandbox = ip.Interface is not int index
                || (index >= 0 && index < result.Interfaces.Count && !string.IsNullOrEmpty(result.Interfaces[index].Sandbox));
            // One address per family: the first, as the runtime reports it as the pod's IP.
            if (inSandbox && !addresses.Any(a => a.Family == ip.Address.Family))
                addresses.Add(ip.Address);
        }
        return addresses;
    }

    /// <summary>
    /// The requested mappings for the pod's addresses. A hostIP names one host address (its family's only);
    /// without one, or with 0.0.0.0 / ::, every local address of that family. Bad input is code 7.
    /// </summary>
    public static List<HostPortMapping> Resolve(NetConf conf, IReadOnlyList<IPPrefix> pod)
    {
        var mappings = new List<HostPortMapping>();
        if (conf.RuntimeConfigValue("portMappings") is not { ValueKind: JsonValueKind.Array } requested)
            return mappings;
        foreach (JsonElement entry in requested.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
                throw Invalid($"{entry.GetRawText()} is not an object");
            ushort hostPort = Port(entry, "hostPort");
            ushort containerPort = Port(entry, "containerPort");
            byte protocol = Protocol(entry);
            IPAddress? hostIp = HostIp(entry);
            AddressFamily? only = hostIp?.AddressFamily;
            if (hostIp is not null && (hostIp.Equals(IPAddress.Any) || hostIp.Equals(IPAddress.IPv6Any)))
                hostIp = null;
            var families = pod.Where(p => only is null || p.Family == only).ToList();
            if (pod.Count == 0)
                throw Invalid("the pod has no IP address in prevResult to map to");
            if (families.Count == 0)
                throw Invalid($"hostIP {HostIp(entry)} is {(only == AddressFamily.InterNetwork ? "IPv4" : "IPv6")}, but the pod has no such address");
            foreach (IPPrefix address in families)
            {
                var mapping = new HostPortMapping(hostIp, protocol, hostPort, address.Address, containerPort);
                if (mappings.Any(m => Equals(m.HostIp, hostIp) && m.Protocol == protocol && m.HostPort == hostPort
                                      && m.PodIp.AddressFamily == address.Family))
                    throw Invalid($"{mapping.HostSide} is listed twice");
                mappings.Add(mapping);
            }
        }
        return mappings;
    }

    private static ushort Port(JsonElement entry, string name)
    {
        if (!Property(entry, name, out JsonElement value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt32(out int port) || port is < 1 or > 65535)
            throw Invalid($"{name} must be a number from 1 to 65535 in {entry.GetRawText()}");
        return (ushort)port;
    }

    private static byte Protocol(JsonElement entry)
    {
        if (!Property(entry, "protocol", out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            return NftKey.Tcp;
        return value.ValueKind == JsonValueKind.String ? value.GetString()!.ToLowerInvariant() switch
        {
            "" or "tcp" => NftKey.Tcp,
            "udp" => NftKey.Udp,
            "sctp" => NftKey.Sctp,
            _ => throw Invalid($"protocol \"{value.GetString()}\" is not tcp, udp or sctp"),
        } : throw Invalid($"protocol must be a string in {entry.GetRawText()}");
    }

    private static IPAddress? HostIp(JsonElement entry)
    {
        if (!Property(entry, "hostIP", out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            return null;
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrEmpty(text)) return null;
        return IPAddress.TryParse(text, out IPAddress? address) && (address.AddressFamily != AddressFamily.InterNetworkV6 || address.ScopeId == 0)
            ? IPAddressMath.Canonical(address)
            : throw Invalid($"hostIP \"{text}\" is not an IP address");
    }

    /// <summary>The member named <paramref name="name"/>: the exact spelling first, else one that differs only in case.</summary>
    private static bool Property(JsonElement entry, string name, out JsonElement value)
    {
        if (entry.TryGetProperty(name, out value)) return true;
        foreach (JsonProperty property in entry.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        return false;
    }

    private static CniException Invalid(string problem) => CniException.InvalidConfig($"invalid runtimeConfig.portMappings: {problem}");
}
