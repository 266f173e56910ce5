using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Ip;
using CniSharp.Namespaces;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Plugins.Bridge;

/// <summary>The host bridge: created on first use, checked on every use, carrying the pods' gateway addresses.</summary>
internal static class BridgeDevice
{
    /// <summary>
    /// Returns the bridge, creating it when missing. <paramref name="created"/> tells whether this call made it,
    /// so a failed ADD can take it away again.
    /// </summary>
    public static LinkInfo Ensure(IRouteNetlink nl, BridgeNetConf conf, int mtu, out bool created)
    {
        string name = conf.BridgeName;
        created = false;
        LinkInfo? bridge = nl.GetLink(name);
        if (bridge is null)
        {
            try
            {
                nl.AddBridge(name, mtu, vlanFiltering: false);
                created = true;
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
            {
                // Another ADD created it between our look and our add: use theirs.
            }
            bridge = nl.GetLink(name) ?? throw new CniException(CniErrorCode.Internal, $"bridge \"{name}\" vanished right after it was created");
            // A bridge is a router port, not a host: it must not configure itself from router advertisements.
            Sysctl.TrySet($"net/ipv6/conf/{name}/accept_ra", "0");
        }
        if (bridge.Kind != "bridge")
            throw CniException.InvalidConfig($"\"{name}\" already exists but is not a bridge (it is a {bridge.Kind ?? "device without a link kind"}); choose another \"bridge\" name");
        if (conf.PromiscMode && (bridge.Flags & LinkFlags.Promisc) == 0)
            nl.SetPromiscuous(bridge.Index, true);
        if (!bridge.IsUp)
            nl.SetLinkUp(bridge.Index);
        return bridge;
    }

    /// <summary>
    /// Puts each gateway address on the bridge. A different IPv4 address (or an IPv6 one in the same network)
    /// is replaced only with forceAddress; otherwise the error names both addresses and the way out.
    /// </summary>
    public static void EnsureGatewayAddresses(IRouteNetlink nl, LinkInfo bridge, IReadOnlyList<IPPrefix> gateways, bool forceAddress)
    {
        if (gateways.Count == 0) return;
        IReadOnlyList<AddressInfo> existing = nl.ListAddresses(bridge.Index);
        foreach (IPPrefix gateway in gateways)
        {
            if (Has(existing, gateway)) continue;
            foreach (AddressInfo other in existing)
            {
                if (!Conflicts(other.Address, gateway)) continue;
                if (!forceAddress)
                    throw CniException.InvalidConfig(
                        $"bridge \"{bridge.Name}\" already has address {other.Address}, different from the gateway {gateway}: " +
                        "set \"forceAddress\": true to replace it, or remove the bridge");
                nl.DeleteAddress(bridge.Index, other.Address);
            }
            try
            {
                nl.AddAddress(bridge.Index, gateway, gateway.IsIPv4 ? AddressFlags.None : AddressFlags.NoDad);
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
            {
                // A concurrent ADD put the same address there first.
            }
        }
        // Checked on every ADD, not only by the one that added the address: an ADD killed between the two, or a
        // bridge an operator made with the gateway on it, would otherwise stay unpinned for good.
        if (!MacIsPinned(bridge.Name))
            PinMac(nl, bridge);
    }

    /// <summary>sysfs addr_assign_type 3 (NET_ADDR_SET): the MAC was set explicitly and no longer follows the ports.</summary>
    private static bool MacIsPinned(string bridgeName) =>
        Files.SmallFile.TryRead($"/sys/class/net/{bridgeName}/addr_assign_type")?.Trim() == "3";

    /// <summary>
    /// Set the bridge's MAC to itself. Otherwise the bridge takes the lowest MAC of its ports and changes it as
    /// ports come and go, which breaks every pod's ARP entry for the gateway.
    /// </summary>
    private static void PinMac(IRouteNetlink nl, LinkInfo bridge)
    {
        LinkInfo current = nl.GetLink(bridge.Index) ?? bridge;
        if (current.Mac is not null)
            nl.SetMacAddress(bridge.Index, current.Mac);
    }

    private static bool Has(IReadOnlyList<AddressInfo> existing, IPPrefix wanted)
    {
        foreach (AddressInfo a in existing)
            if (a.Address == wanted) return true;
        return false;
    }

    /// <summary>IPv4: any other address conflicts (one gateway per bridge). IPv6: only one in the same network; link-local never.</summary>
    private static bool Conflicts(IPPrefix existing, IPPrefix wanted)
    {
        if (existing.Family != wanted.Family) return false;
        if (existing.IsIPv4) return true;
        if (existing.Address.IsIPv6LinkLocal) return false;
        int shorter = Math.Min(existing.PrefixLength, wanted.PrefixLength);
        return IPAddressMath.Mask(existing.Address, shorter).Equals(IPAddressMath.Mask(wanted.Address, shorter));
    }

    /// <summary>
    /// Whether this kernel can filter VLANs on a bridge: create a throw-away bridge with vlan_filtering on. Without
    /// CONFIG_BRIDGE_VLAN_FILTERING the kernel refuses the whole request (EOPNOTSUPP) and creates nothing.
    /// </summary>
    public static bool KernelSupportsVlanFiltering(IRouteNetlink nl)
    {
        string probe = $"cnsprobe{Environment.ProcessId % 1_000_000}";
        try
        {
            nl.AddBridge(probe, null, vlanFiltering: true);
        }
        catch (NetlinkException e) when (e.Errno is Errno.EOPNOTSUPP or Errno.EINVAL)
        {
            return false;
        }
        if (nl.GetLink(probe) is LinkInfo made)
            nl.DeleteLink(made.Index);
        return true;
    }
}
