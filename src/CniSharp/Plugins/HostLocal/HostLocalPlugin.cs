using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Ipam.HostLocal;

namespace CniSharp.Plugins.HostLocal;

/// <summary>
/// The standalone IPAM plugin other main plugins exec from CNI_PATH. Like every IPAM plugin it receives its
/// parent's whole configuration and reads the "ipam" section of it; the result is the abbreviated IPAM
/// result (ips, routes, dns). Unlike the reference it also implements STATUS and GC.
/// </summary>
internal sealed class HostLocalPlugin(HostLocalIpam ipam) : IPlugin
{
    public HostLocalPlugin() : this(new HostLocalIpam()) { }

    public string Type => PluginTypes.HostLocal;

    public CniResult Add(PluginRequest request) => ipam.Add(ToIpam(request));

    public void Del(PluginRequest request) => ipam.Del(ToIpam(request));

    public void Check(PluginRequest request) => ipam.Check(ToIpam(request));

    /// <summary>Code 50 when the data dir is unusable or a range set has no free address.</summary>
    public void Status(PluginRequest request) => ipam.Status(request.Conf);

    public void Gc(PluginRequest request) => ipam.Gc(request.Conf, GcAttachment.Parse(request.Config));

    private static IpamRequest ToIpam(PluginRequest request) => new(request.Args, request.Conf);
}
