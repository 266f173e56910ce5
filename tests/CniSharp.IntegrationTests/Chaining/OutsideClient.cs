using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// A namespace outside the pod network, joined to the host by its own veth pair (10.232.N.0/30, host .1, client
/// .2, default route via the host), so traffic to a host port enters the host from outside as it would from
/// another machine. Dispose removes the namespace, which takes the veth pair with it.
/// </summary>
internal sealed class OutsideClient : IDisposable
{
    private readonly TestNamespace _ns = new("client");

    public OutsideClient(int octet)
    {
        HostLink = "cnc" + Unique.Hex(8);
        HostAddress = $"10.232.{octet}.1";
        ClientAddress = $"10.232.{octet}.2";
        Shell.Ip("link", "add", HostLink, "type", "veth", "peer", "name", "eth0", "netns", _ns.Name);
        Shell.Ip("addr", "add", HostAddress + "/30", "dev", HostLink);
        Shell.Ip("link", "set", HostLink, "up");
        Shell.Ip("-n", _ns.Name, "addr", "add", ClientAddress + "/30", "dev", "eth0");
        Shell.Ip("-n", _ns.Name, "link", "set", "eth0", "up");
        Shell.Ip("-n", _ns.Name, "route", "add", "default", "via", HostAddress);
    }

    public string Netns => _ns.Name;
    public string HostLink { get; }
    public string HostAddress { get; }
    public string ClientAddress { get; }

    public void Dispose()
    {
        Shell.Run("ip", ["link", "del", HostLink]);
        _ns.Dispose();
    }
}
