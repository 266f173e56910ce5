using System.Net;
using CniSharp.Ip;

namespace CniSharp.Cni;

/// <summary>
/// A result in its newest (1.1.0) shape. Plugins build and read only this; the writer shapes it for
/// the requested cniVersion at print time, the parser reads any version into it.
/// </summary>
internal sealed class CniResult
{
    public string CniVersion { get; set; } = CniVersions.Latest;

    public List<CniInterface> Interfaces { get; set; } = [];

    public List<CniIPConfig> Ips { get; set; } = [];

    public List<CniRoute> Routes { get; set; } = [];

    /// <summary>Null when empty: the result omits "dns" then, as libcni does.</summary>
    public CniDns? Dns { get; set; }
}

internal sealed class CniInterface
{
    public required string Name { get; set; }

    public string? Mac { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? Mtu { get; set; }

    /// <summary>The netns path for in-container interfaces; null for host interfaces.</summary>
    public string? Sandbox { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public string? SocketPath { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public string? PciId { get; set; }
}

internal sealed class CniIPConfig
{
    /// <summary>Address with prefix, e.g. 10.1.2.3/24.</summary>
    public required IPPrefix Address { get; set; }

    public IPAddress? Gateway { get; set; }

    /// <summary>Index into <see cref="CniResult.Interfaces"/>; IPAM results leave it unset.</summary>
    public int? Interface { get; set; }
}

internal sealed class CniRoute
{
    /// <summary>Destination network (masked, as Go's ParseCIDR gives it).</summary>
    public required IPPrefix Dst { get; set; }

    public IPAddress? Gw { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? Mtu { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? AdvMss { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? Priority { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? Table { get; set; }

    /// <summary>Since 1.1.0: 0 universe, 253 link, 254 host.</summary>
    public int? Scope { get; set; }
}

internal sealed class CniDns
{
    public List<string>? Nameservers { get; set; }

    public string? Domain { get; set; }

    public List<string>? Search { get; set; }

    public List<string>? Options { get; set; }

    public bool IsEmpty =>
        (Nameservers is null || Nameservers.Count == 0) && string.IsNullOrEmpty(Domain) &&
        (Search is null || Search.Count == 0) && (Options is null || Options.Count == 0);
}
