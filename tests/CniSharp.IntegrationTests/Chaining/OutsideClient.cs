using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Chaining;

/// <summary>
/// A namespace outside the pod network, joined to the host by its own veth pair (10.232.N.0/30, host .1, client
/// .2, and fd00:232:N::/64, host ::1, client ::2; default routes via the host), so traffic to a host port enters
/// the host from outside as it would from another machine. Dispose removes the namespace, which takes the veth
/// pair with it.
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
        HostAddress6 = $"fd00:232:{octet:x}::1";
        ClientAddress6 = $"fd00:232:{octet:x}::2";
        Shell.Ip("addr", "add", HostAddress6 + "/64", "dev", HostLink, "nodad");
        Shell.Ip("-n", _ns.Name, "addr", "add", ClientAddress6 + "/64", "dev", "eth0", "nodad");
        Shell.Ip("-n", _ns.Name, "-6", "route", "add", "default", "via", HostAddress6);
    }

    public string Netns => _ns.Name;
    public string HostLink { get; }
    public string HostAddress { get; }
    public string ClientAddress { get; }
    public string HostAddress6 { get; }
    public string ClientAddress6 { get; }

    /// <summary>The client side's IPv4 /30, e.g. for an exemption.</summary>
    public string Subnet => ClientAddress[..ClientAddress.LastIndexOf('.')] + ".0/30";

    public void Dispose()
    {
        Shell.Run("ip", ["link", "del", HostLink]);
        _ns.Dispose();
    }
}
